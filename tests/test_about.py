"""What the index page says first: the version and the README paragraph (goanalyzer.views.about)."""

from __future__ import annotations

from goanalyzer.views.about import about, release_version

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_version_from_a_release_folder_name(tmp_path):
    for name, version in [("traefik-2.5.2", "2.5.2"), ("gh-v2.60.0", "2.60.0"), ("app-1.0.0-rc.1", "1.0.0-rc.1"),
                          ("traefik", None), ("tool-2.5", None)]:
        folder = tmp_path / name
        folder.mkdir()
        assert release_version(folder) == version, name


def test_version_from_the_tag_on_head(tmp_path):
    repo = tmp_path / "app-0.0.1"
    git = repo / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "refs" / "tags").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "config").write_text('[remote "origin"]\n\turl = https://github.com/example/app.git\n')
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    (git / "refs" / "tags" / "v1.4.0").write_text(SHA + "\n")
    assert release_version(repo) == "v1.4.0"
    (git / "refs" / "tags" / "v1.4.0").unlink()
    assert release_version(repo) == "0.0.1"  # HEAD untagged: the folder name


def test_about_is_the_first_prose_paragraph_escaped(tmp_path):
    (tmp_path / "README.md").write_text(
        "# App\n\n[![build](https://ci/badge.svg)](https://ci)\n\n<p align=center><img src=x></p>\n\n"
        "App serves <b>files</b> over [HTTP](https://example.com) & keeps\nthem fresh.\n\n## Install\n")
    assert about(tmp_path) == "App serves <b>files</b> over HTTP & keeps them fresh."


def test_about_never_reads_through_a_link_out_of_the_tree(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("This text lives outside the analysed tree and must not be shown.\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "README.md").symlink_to(outside)
    assert about(tree) is None
