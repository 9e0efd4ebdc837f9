"""huggingface_hub's cache layout, as its documentation ("Manage the cache") and file_download.py define it.

Debian 12 has no python3-huggingface-hub package, so this script re-implements the two pieces the tests need,
following huggingface_hub's own code paths, to check GenNet's cache from Python's side:

  lookup CACHE REPO_ID FILENAME [REVISION]
      try_to_load_from_cache(): datasets--{owner}--{name}; refs/{revision} holds the commit; snapshots/{commit}/{file}.
      Also checks what hf_hub_download leaves: the snapshot entry is a *relative* symlink into blobs/, the blob is named
      by its etag (sha256 of the content for LFS files), and no .incomplete file remains. Prints JSON.

  store CACHE REPO_ID REVISION COMMIT FILENAME SOURCE_FILE
      What hf_hub_download does after a download: blobs/{sha256}, snapshots/{commit}/{file} -> relative symlink
      (os.path.relpath(blob, dirname(pointer)), as _create_symlink), refs/{revision} = commit.
"""
import hashlib
import json
import os
import sys


def repo_folder(cache, repo_id):
    return os.path.join(cache, "datasets--" + repo_id.replace("/", "--"))


def try_to_load_from_cache(cache, repo_id, filename, revision="main"):
    repo_cache = repo_folder(cache, repo_id)
    if not os.path.isdir(repo_cache):
        return None
    refs_dir = os.path.join(repo_cache, "refs")
    snapshots_dir = os.path.join(repo_cache, "snapshots")
    if os.path.isdir(refs_dir):
        revision_file = os.path.join(refs_dir, revision)
        if os.path.isfile(revision_file):
            with open(revision_file) as f:
                revision = f.read()
    if not os.path.exists(snapshots_dir):
        return None
    if revision not in os.listdir(snapshots_dir):
        return None
    cached_file = os.path.join(snapshots_dir, revision, filename)
    return cached_file if os.path.isfile(cached_file) else None


def lookup(cache, repo_id, filename, revision="main"):
    path = try_to_load_from_cache(cache, repo_id, filename, revision)
    result = {"found": path is not None}
    if path is None:
        print(json.dumps(result))
        return
    blobs = os.path.join(repo_folder(cache, repo_id), "blobs")
    target = os.readlink(path) if os.path.islink(path) else None
    resolved = os.path.realpath(path)
    with open(resolved, "rb") as f:
        data = f.read()
    result.update({
        "path": path,
        "is_symlink": target is not None,
        "link_is_relative": target is not None and not os.path.isabs(target),
        "link": target,
        "blob": os.path.basename(resolved),
        "blob_in_blobs": os.path.dirname(resolved) == os.path.realpath(blobs),
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "incomplete_left": [n for n in os.listdir(blobs) if n.endswith(".incomplete")],
        "commit": os.path.basename(os.path.dirname(path)) if "/" not in filename else None,
    })
    print(json.dumps(result))


def store(cache, repo_id, revision, commit, filename, source):
    with open(source, "rb") as f:
        data = f.read()
    etag = hashlib.sha256(data).hexdigest()
    repo = repo_folder(cache, repo_id)
    blob = os.path.join(repo, "blobs", etag)
    pointer = os.path.join(repo, "snapshots", commit, filename)
    os.makedirs(os.path.dirname(blob), exist_ok=True)
    os.makedirs(os.path.dirname(pointer), exist_ok=True)
    with open(blob + ".incomplete", "wb") as f:
        f.write(data)
    os.replace(blob + ".incomplete", blob)
    if not os.path.lexists(pointer):
        os.symlink(os.path.relpath(blob, os.path.dirname(pointer)), pointer)
    refs = os.path.join(repo, "refs", revision)
    os.makedirs(os.path.dirname(refs), exist_ok=True)
    with open(refs, "w") as f:
        f.write(commit)
    print(json.dumps({"blob": blob, "pointer": pointer}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "lookup":
        lookup(*args)
    elif command == "store":
        store(*args)
    else:
        sys.exit("usage: hf_cache.py lookup|store ...")
