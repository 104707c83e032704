"""`goanalyzer ops certs`: certificate expiry and the kube-apiserver loopback-certificate diagnosis.

Modules: inspect (decode one certificate, judge its validity), load (find certificates in PEM/DER
files, kubeconfigs and trees), keys (a private key reduced to its public fingerprint), chain (which
scanned CA signed a certificate), layout (kubeadm's names, CAs, expected files, renew steps), scan
(the judged rows and findings), kubeadm (saved `kubeadm certs check-expiration` output), klog
(Kubernetes log lines), diagnose (TLS/x509 failures in logs -> verdict), probe (a real TLS
handshake), render (text output), cli (the click group `certs`).
"""
