using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace GenNet.Hub;

/// <summary>
/// The Hugging Face cache in <c>huggingface_hub</c>'s layout, shared with Python:
/// <c>{root}/datasets--{owner}--{name}/{blobs,refs,snapshots}</c>, <c>refs/{revision}</c> holding the commit,
/// <c>snapshots/{commit}/{path}</c> a relative symlink to <c>blobs/{etag}</c> (a copy where symlinks fail), and
/// <c>{root}/.locks/{repo folder}/{etag}.lock</c>.
/// </summary>
public sealed class HubCache
{
    private static readonly Regex CommitPattern = new("^[0-9a-f]{40}$", RegexOptions.CultureInvariant);

    /// <summary>Opens the cache at <paramref name="root"/> (created on first write).</summary>
    public HubCache(string root) => Root = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));

    /// <summary>The cache's root folder.</summary>
    public string Root { get; }

    /// <summary><c>$HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c> (<c>$XDG_CACHE_HOME</c> honoured as Python does).</summary>
    public static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("HF_HUB_CACHE") is { Length: > 0 } hubCache)
            return Expand(hubCache);
        if (Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } home)
            return Path.Combine(Expand(home), "hub");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
            ? Expand(x)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "huggingface", "hub");
    }

    private static string Expand(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;

    /// <summary><c>datasets--owner--name</c> (huggingface_hub's <c>repo_folder_name</c>).</summary>
    public static string RepoFolderName(string repoId) => "datasets--" + repoId.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>The repository's folder in the cache.</summary>
    public string RepoFolder(string repoId) => Path.Combine(Root, RepoFolderName(repoId));

    /// <summary>The commit <paramref name="revision"/> points at in the cache (a commit hash is its own), or <see langword="null"/>.</summary>
    public string? ResolveRevision(string repoId, string revision)
    {
        if (CommitPattern.IsMatch(revision))
            return Directory.Exists(Path.Combine(RepoFolder(repoId), "snapshots", revision)) ? revision : null;
        var refPath = RefPath(repoId, revision);
        if (!File.Exists(refPath))
            return null;
        var commit = File.ReadAllText(refPath).Trim();
        return CommitPattern.IsMatch(commit) ? commit : null;
    }

    internal string RefPath(string repoId, string revision) => Path.Combine(RepoFolder(repoId), "refs", revision.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The snapshot folder of <paramref name="commit"/>.</summary>
    public string SnapshotFolder(string repoId, string commit) => Path.Combine(RepoFolder(repoId), "snapshots", commit);

    /// <summary>The cached file <paramref name="path"/> of the snapshot, or <see langword="null"/> when absent or dangling.</summary>
    public string? TryGetFile(string repoId, string commit, string path)
    {
        var full = SafeJoin(SnapshotFolder(repoId, commit), path);
        return File.Exists(full) ? full : null;
    }

    /// <summary>Every file of a snapshot, as repository paths with '/' separators.</summary>
    public IReadOnlyList<string> ListSnapshot(string repoId, string commit)
    {
        var folder = SnapshotFolder(repoId, commit);
        if (!Directory.Exists(folder))
            return Array.Empty<string>();
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(File.Exists)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Joins a repository path to a folder, refusing what could escape it: empty segments, <c>.</c>/<c>..</c>, absolute
    /// paths, backslashes, drive letters and control characters.
    /// </summary>
    /// <exception cref="InvalidDataException">The path is unsafe; the message names it.</exception>
    public static string SafeJoin(string folder, string repoPath)
    {
        ArgumentNullException.ThrowIfNull(repoPath);
        if (repoPath.Length == 0 || repoPath.StartsWith('/') || repoPath.Contains('\\') || repoPath.Contains(':') || repoPath.Any(char.IsControl))
            throw new InvalidDataException($"Refusing the repository path '{repoPath}': it is empty, absolute or has a backslash, colon or control character.");
        var parts = repoPath.Split('/');
        if (parts.Any(p => p.Length == 0 || p == "." || p == ".."))
            throw new InvalidDataException($"Refusing the repository path '{repoPath}': it has an empty, '.' or '..' segment and could escape the snapshot folder.");
        var full = Path.GetFullPath(Path.Combine(folder, Path.Combine(parts)));
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new InvalidDataException($"Refusing the repository path '{repoPath}': it resolves outside '{folder}'.");
        return full;
    }

    internal string BlobPath(string repoId, string etag) => Path.Combine(RepoFolder(repoId), "blobs", etag);

    internal string LockPath(string repoId, string etag) => Path.Combine(Root, ".locks", RepoFolderName(repoId), etag + ".lock");

    internal string NoExistPath(string repoId, string commit, string path) => SafeJoin(Path.Combine(RepoFolder(repoId), ".no_exist", commit), path);

    /// <summary>Records that <paramref name="revision"/> points at <paramref name="commit"/> (<c>refs/{revision}</c>).</summary>
    public void WriteRef(string repoId, string revision, string commit)
    {
        if (revision == commit)
            return;
        var path = RefPath(repoId, revision);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && File.ReadAllText(path).Trim() == commit)
            return;
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, commit);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Points <c>snapshots/{commit}/{path}</c> at <c>blobs/{etag}</c> with a relative symlink as Python makes it
    /// (<c>os.path.relpath(blob, dirname(pointer))</c>), or a copy where the file system refuses symlinks.
    /// </summary>
    public string LinkSnapshot(string repoId, string commit, string path, string etag)
    {
        var pointer = SafeJoin(SnapshotFolder(repoId, commit), path);
        var blob = BlobPath(repoId, etag);
        Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
        if (File.Exists(pointer))
            return pointer;
        var relative = Path.GetRelativePath(Path.GetDirectoryName(pointer)!, blob);
        var temp = pointer + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.CreateSymbolicLink(temp, relative);
            File.Move(temp, pointer, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Delete(temp);
            File.Copy(blob, temp, overwrite: true);
            File.Move(temp, pointer, overwrite: true);
        }
        return pointer;
    }
}
