using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GenNet.Hub;
using GenNet.Imaging;
using GenNet.Tests.Support;
using Xunit;
using static GenNet.Hub.Datasets;

namespace GenNet.Tests.Hub;

/// <summary>
/// The Hub client against <see cref="FakeHub"/> on 127.0.0.1: downloads into huggingface_hub's cache layout (checked
/// from Python's side by reference/hf_cache.py), offline reuse, redirects, pagination, tokens, and injected faults.
/// </summary>
public sealed class HubClientTests : IDisposable
{
    private const string Repo = "test-org/colours";
    private readonly string _root = Directory.CreateTempSubdirectory("gennet-hubhttp-").FullName;
    private readonly FakeHub _hub = new();
    private readonly StringWriter _log = new();

    public HubClientTests()
    {
        Cache = Path.Combine(_root, "cache");
    }

    private string Cache { get; }

    public void Dispose()
    {
        _hub.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private HubOptions Options(bool offline = false, string? token = null) => new()
    {
        Endpoint = _hub.Endpoint,
        CacheDir = Cache,
        Offline = offline,
        Token = token,
        SystemDatasetsFolder = Path.Combine(_root, "no-system"),
        Log = _log,
        Progress = false,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private async Task<Dictionary<string, byte[]>> RepoFilesAsync()
    {
        var folder = Path.Combine(_root, "src");
        var paths = await HubFixtures.WriteRepoAsync(folder);
        return paths.ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(folder, p)));
    }

    private static void AssertColours(DatasetDict dsd)
    {
        Assert.Equal(new[] { "train", "test" }, dsd.Keys);
        Assert.Equal(12, dsd["train"].Count);
        Assert.Equal(HubFixtures.Pattern(9, 3).Pixels, dsd["train"][9].Get<Image8>("img").Pixels);
        Assert.Equal(101L % 3, dsd["test"][1]["label"]);
    }

    private static JsonObject PythonLookup(string cache, string repo, string file, string revision = "main")
    {
        var script = Path.Combine(ProcessRunner.RepositoryRoot(), "GenNet.Tests", "Hub", "reference", "hf_cache.py");
        var run = ProcessRunner.Run("/usr/bin/python3", new[] { script, "lookup", cache, repo, file, revision }, cache, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.Output);
        return (JsonObject)JsonNode.Parse(run.StandardOutput)!;
    }

    [Fact]
    public async Task ADownloadFillsTheCacheAsHuggingfaceHubLaysItOutAndIsReusedOffline()
    {
        var files = await RepoFilesAsync();
        var revision = _hub.AddRevision(Repo, "main", files);

        var builder = await LoadDatasetBuilderAsync(Repo, Options());
        Assert.Equal(DatasetSourceKind.Hub, builder.SourceKind);
        Assert.Equal("colours", builder.ConfigName);
        Assert.Equal("{'img': Image(mode=None, decode=True), 'label': ClassLabel(names=['red', 'green', 'blue'])}", builder.Info.Features.ToString());
        AssertColours(await builder.LoadAsync());

        // The tree listing came in pages (Link: rel="next"), and resolve redirected to the CDN origin.
        Assert.True(_hub.Requests.Count(r => r.Path.Contains("/tree/", StringComparison.Ordinal)) >= 3);
        foreach (var (path, content) in files.Where(f => FakeHub.IsLfs(f.Key)))
            Assert.Equal(1, _hub.CdnGets(FakeHub.Sha256(content)));

        // Python's lookup finds every file: refs/main → snapshots/{commit}/{path} → relative symlink → blobs/{sha256}.
        var repoFolder = Path.Combine(Cache, "datasets--test-org--colours");
        Assert.Equal(revision.Commit, File.ReadAllText(Path.Combine(repoFolder, "refs", "main")));
        foreach (var (path, content) in files)
        {
            var found = PythonLookup(Cache, Repo, path);
            Assert.True((bool)found["found"]!, $"{path}: {found}");
            Assert.True((bool)found["is_symlink"]! && (bool)found["link_is_relative"]!, found.ToJsonString());
            Assert.True((bool)found["blob_in_blobs"]!, found.ToJsonString());
            Assert.Equal(FakeHub.Sha256(content), (string)found["sha256"]!);
            Assert.Equal(FakeHub.IsLfs(path) ? FakeHub.Sha256(content) : FakeHub.GitSha1(content), (string)found["blob"]!);
            Assert.Empty((JsonArray)found["incomplete_left"]!);
        }
        Assert.Equal("../../../blobs/" + FakeHub.Sha256(files["colours/train-00001-of-00003.parquet"]),
            new FileInfo(Path.Combine(repoFolder, "snapshots", revision.Commit, "colours", "train-00001-of-00003.parquet")).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(Cache, ".locks", "datasets--test-org--colours")));

        // Offline, the same call is served by the cache without a request.
        var before = _hub.Requests.Count;
        var cached = await LoadDatasetBuilderAsync(Repo, Options(offline: true));
        Assert.Equal(DatasetSourceKind.HubCache, cached.SourceKind);
        Assert.Equal(builder.Info.Features.ToString(), cached.Info.Features.ToString());
        AssertColours(await cached.LoadAsync());
        Assert.Equal(before, _hub.Requests.Count);
    }

    [Fact]
    public async Task ACacheWrittenTheWayPythonWritesItIsReadOffline()
    {
        var files = await RepoFilesAsync();
        var commit = "0123456789abcdef0123456789abcdef01234567";
        var script = Path.Combine(ProcessRunner.RepositoryRoot(), "GenNet.Tests", "Hub", "reference", "hf_cache.py");
        foreach (var (path, content) in files)
        {
            var source = Path.Combine(_root, "src", path);
            var run = ProcessRunner.Run("/usr/bin/python3", new[] { script, "store", Cache, Repo, "main", commit, path, source }, _root, TimeSpan.FromMinutes(1));
            Assert.True(run.ExitCode == 0, run.Output);
        }
        var dsd = await LoadDatasetAsync(Repo, Options(offline: true));
        Assert.Equal(Path.Combine(Cache, "datasets--test-org--colours", "snapshots", commit), dsd.Source);
        AssertColours(dsd);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task ASnapshotMissingShardsIsNotUsedOffline()
    {
        var files = await RepoFilesAsync();
        var commit = "89abcdef0123456789abcdef0123456789abcdef";
        var script = Path.Combine(ProcessRunner.RepositoryRoot(), "GenNet.Tests", "Hub", "reference", "hf_cache.py");
        foreach (var path in files.Keys.Where(p => p != "colours/train-00002-of-00003.parquet"))
        {
            var run = ProcessRunner.Run("/usr/bin/python3", new[] { script, "store", Cache, Repo, "main", commit, path, Path.Combine(_root, "src", path) }, _root, TimeSpan.FromMinutes(1));
            Assert.True(run.ExitCode == 0, run.Output);
        }
        var e = await Assert.ThrowsAsync<DatasetNotFoundException>(() => LoadDatasetAsync(Repo, Options(offline: true)));
        Assert.Contains("split 'train' has 8 of the card's 12 rows (an incomplete download); not used", e.Message);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedAndACutDownloadIsResumedWithRange()
    {
        var files = await RepoFilesAsync();
        _hub.AddRevision(Repo, "main", files);
        var shard0 = FakeHub.Sha256(files["colours/train-00000-of-00003.parquet"]);
        var shard1 = FakeHub.Sha256(files["colours/train-00001-of-00003.parquet"]);
        _hub.CdnFaults[shard0] = new(new[] { new FakeHub.Fault(500), new FakeHub.Fault(503) });
        _hub.CdnFaults[shard1] = new(new[] { new FakeHub.Fault(200, CutAfterBytes: 300) });

        AssertColours(await LoadDatasetAsync(Repo, Options()));

        Assert.Equal(3, _hub.CdnGets(shard0));
        var shard1Gets = _hub.Requests.Where(r => r.Host == "cdn" && r.Path.EndsWith(shard1, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, shard1Gets.Count);
        Assert.Null(shard1Gets[0].Range);
        Assert.Equal("bytes=300-", shard1Gets[1].Range);
        Assert.Contains("attempt 1 failed", _log.ToString());
        Assert.Equal(FakeHub.Sha256(files["colours/train-00001-of-00003.parquet"]),
            (string)PythonLookup(Cache, Repo, "colours/train-00001-of-00003.parquet")["sha256"]!);
    }

    [Fact]
    public async Task AWrongChecksumIsNeverKeptOrLinked()
    {
        var files = await RepoFilesAsync();
        var revision = _hub.AddRevision(Repo, "main", files);
        const string victim = "colours/train-00002-of-00003.parquet";
        var corrupt = (byte[])files[victim].Clone();
        corrupt[^20] ^= 0xFF;
        _hub.CorruptContent[victim] = corrupt;

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => LoadDatasetAsync(Repo, Options()));
        Assert.Contains($"checksum mismatch for '{victim}'", e.Message);
        Assert.Contains("discarded", e.Message);
        var repoFolder = Path.Combine(Cache, "datasets--test-org--colours");
        Assert.False(File.Exists(Path.Combine(repoFolder, "blobs", FakeHub.Sha256(files[victim]))));
        Assert.Empty(Directory.GetFiles(Path.Combine(repoFolder, "blobs"), "*.incomplete"));
        Assert.False(File.Exists(Path.Combine(repoFolder, "snapshots", revision.Commit, victim)));
        Assert.False((bool)PythonLookup(Cache, Repo, victim)["found"]!);
    }

    [Fact]
    public async Task AMissingDatasetIsANotFoundErrorListingTheSourcesTried()
    {
        var e = await Assert.ThrowsAsync<DatasetNotFoundException>(() => LoadDatasetAsync("nobody/nothing", Options()));
        Assert.Contains("HTTP 404", e.Message);
        Assert.Contains($"Hub {_hub.Endpoint}", e.Message);
        Assert.Contains("HF cache", e.Message);
        Assert.Equal(4, e.Tried.Count);
    }

    [Fact]
    public async Task AListedPathThatEscapesTheSnapshotIsRefusedBeforeAnythingIsWritten()
    {
        var files = await RepoFilesAsync();
        var revision = _hub.AddRevision(Repo, "main", files);
        revision.ExtraListed.Add("../../../escaped.parquet");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => LoadDatasetAsync(Repo, Options()));
        Assert.Contains("'../../../escaped.parquet'", e.Message);
        Assert.False(File.Exists(Path.Combine(Cache, "escaped.parquet")));
        Assert.False(File.Exists(Path.Combine(_root, "escaped.parquet")));
        Assert.DoesNotContain(_hub.Requests, r => r.Host == "cdn");
    }

    [Fact]
    public async Task TheTokenGoesToTheHubButNotToTheCdnHostAndIsNeverLogged()
    {
        var files = await RepoFilesAsync();
        _hub.AddRevision(Repo, "main", files);
        _hub.ExpectedToken = "hf_secret_token_123";

        var unauthorized = await Assert.ThrowsAsync<HubRequestException>(() => LoadDatasetAsync(Repo, Options()));
        Assert.Contains("HTTP 401", unauthorized.Message);
        Assert.Contains("HF_TOKEN", unauthorized.Message);

        AssertColours(await LoadDatasetAsync(Repo, Options(token: "hf_secret_token_123")));
        Assert.Contains(_hub.Requests, r => r.Host == "api" && r.Authorized);
        Assert.DoesNotContain(_hub.Requests, r => r.Host == "cdn" && r.Authorized);
        Assert.DoesNotContain("hf_secret_token_123", _log.ToString());
    }

    [Fact]
    public async Task WithoutParquetOnMainTheParquetConversionRevisionIsUsed()
    {
        var files = await RepoFilesAsync();
        var main = new Dictionary<string, byte[]> { ["README.md"] = "---\nlicense: mit\n---\n# script-based dataset\n"u8.ToArray(), ["colours.py"] = "print()"u8.ToArray() };
        _hub.AddRevision(Repo, "main", main);
        var converted = files.Where(f => FakeHub.IsLfs(f.Key)).ToDictionary(
            f => f.Key.Replace("colours/train-0000", "default/train/000", StringComparison.Ordinal).Replace("-of-00003", "", StringComparison.Ordinal)
                      .Replace("colours/test-00000-of-00001", "default/test/0000", StringComparison.Ordinal),
            f => f.Value);
        var conversion = _hub.AddRevision(Repo, "refs/convert/parquet", converted);

        var dsd = await LoadDatasetAsync(Repo, Options());
        AssertColours(dsd);
        Assert.Contains("trying refs/convert/parquet", _log.ToString());
        Assert.Equal(conversion.Commit, File.ReadAllText(Path.Combine(Cache, "datasets--test-org--colours", "refs", "refs", "convert", "parquet")));
        // Features came from the parquet files' own huggingface metadata (the card has no dataset_info).
        Assert.Equal("ClassLabel(names=['red', 'green', 'blue'])", dsd["train"].Features["label"].ToString());
    }

    [Fact]
    public async Task TwoDownloadersRacingOnOneCacheDownloadEachFileOnce()
    {
        var files = await RepoFilesAsync();
        _hub.AddRevision(Repo, "main", files);
        _hub.CdnDelay = TimeSpan.FromMilliseconds(300);

        // Two independent clients, each taking the cache lock through its own FileStream (an exclusive flock on Linux,
        // the same lock a second process would take).
        var a = Task.Run(() => LoadDatasetAsync(Repo, Options()));
        var b = Task.Run(() => LoadDatasetAsync(Repo, Options() with { Log = null }));
        var results = await Task.WhenAll(a, b);
        AssertColours(results[0]);
        AssertColours(results[1]);
        foreach (var (path, content) in files.Where(f => FakeHub.IsLfs(f.Key)))
            Assert.Equal(1, _hub.CdnGets(FakeHub.Sha256(content)));
    }

    [Fact]
    public async Task APythonProcessHoldingTheLockIsWaitedForAndItsDownloadReused()
    {
        var files = await RepoFilesAsync();
        var revision = _hub.AddRevision(Repo, "main", files);
        const string file = "colours/test-00000-of-00001.parquet";
        var sha = FakeHub.Sha256(files[file]);
        var lockPath = Path.Combine(Cache, ".locks", "datasets--test-org--colours", sha + ".lock");
        var blob = Path.Combine(Cache, "datasets--test-org--colours", "blobs", sha);
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        var source = Path.Combine(_root, "src", file);
        var ready = Path.Combine(_root, "python-has-lock");

        // Python takes the lock as huggingface_hub's filelock does (fcntl.flock), then "finishes its download".
        var python = Process.Start(new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList =
            {
                "-c",
                "import fcntl, os, shutil, sys, time\n" +
                "f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX)\n" +
                "open(sys.argv[4], 'w').close(); time.sleep(1.5)\n" +
                "shutil.copy(sys.argv[3], sys.argv[2] + '.incomplete'); os.replace(sys.argv[2] + '.incomplete', sys.argv[2])\n" +
                "fcntl.flock(f, fcntl.LOCK_UN)\n",
                lockPath, blob, source, ready,
            },
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(ready) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(File.Exists(ready), "python did not take the lock");

        var dsd = await LoadDatasetAsync(Repo, Options());
        await python.WaitForExitAsync();
        Assert.Equal(0, python.ExitCode);
        AssertColours(dsd);
        Assert.Contains("waiting for " + lockPath, _log.ToString());
        Assert.Equal(0, _hub.CdnGets(sha)); // Python's download was reused, not repeated
        Assert.True(File.Exists(Path.Combine(Cache, "datasets--test-org--colours", "snapshots", revision.Commit, file)));
    }
}
