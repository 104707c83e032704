"""Tencent Cloud CSI (kubernetes-csi-tencentcloud): a model of its drivers, a linter for
StorageClasses, PVCs and PVs that use them, and a generator of correct StorageClasses.

drivers holds the model (what each driver accepts, as its source reads parameters),
manifests reads multi-document YAML keeping line numbers, lint checks objects against the
model, generate builds StorageClass/PVC objects, cli prints.
"""
