using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace GenNet.Hub;

/// <summary>An HTTP request to the Hub failed; <see cref="IsNotFound"/>/<see cref="IsNetwork"/> tell why.</summary>
public sealed class HubRequestException : IOException
{
    /// <summary>Creates the exception.</summary>
    public HubRequestException(string message, HttpStatusCode? status, bool isNetwork, Exception? inner = null)
        : base(message, inner) => (Status, IsNetwork) = (status, isNetwork);

    /// <summary>The HTTP status, when the server answered.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>Whether the Hub could not be reached (or kept failing) rather than answering an error.</summary>
    public bool IsNetwork { get; }

    /// <summary>Whether the server answered 404.</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}

/// <summary>
/// The Hub's HTTP API as <c>huggingface_hub</c> uses it: revision info and tree listing, and <c>resolve</c> downloads
/// into the shared cache (atomic, verified, resumed with <c>Range</c>, retried, locked across processes).
/// </summary>
internal sealed class HubClient
{
    private static readonly Regex Sha256Pattern = new("^[0-9a-f]{64}$", RegexOptions.CultureInvariant);
    private static readonly Regex Sha1Pattern = new("^[0-9a-f]{40}$", RegexOptions.CultureInvariant);
    private const int MaxRedirects = 10;
    private static readonly HttpClient SharedClient = CreateClient(null);
    private readonly HubOptions _options;
    private readonly HubCache _cache;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public HubClient(HubOptions options, HubCache cache)
    {
        _options = options;
        _cache = cache;
        _http = options.HttpHandler is null ? SharedClient : CreateClient(options.HttpHandler);
        _endpoint = new Uri(options.ResolvedEndpoint + "/");
    }

    private static HttpClient CreateClient(HttpMessageHandler? handler)
    {
        handler ??= new SocketsHttpHandler
        {
            // Redirects are followed by hand: the token must not travel to another host.
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
        };
        return new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    internal sealed record TreeEntry(string Path, long Size, string? Sha256, string? Oid);

    public async Task<DatasetBuilder> ResolveAsync(string repoId, string revision, string? config, List<string> tried, Action<string> note, CancellationToken ct)
    {
        var (commit, files) = await RevisionAsync(repoId, revision, ct).ConfigureAwait(false);
        var card = DatasetCard.Empty;
        if (files.Contains("README.md"))
        {
            var cardPath = await DownloadAsync(repoId, commit, revision, "README.md", null, ct).ConfigureAwait(false);
            card = SourceResolver.ReadCard(cardPath, repoId);
        }
        var (chosenConfig, splits) = DatasetBuilder.SelectDataFiles(files, card, config);
        var dataRevision = revision;
        var dataCommit = commit;
        if (splits.Count == 0)
        {
            note($"Hub {_endpoint}datasets/{repoId}@{revision}: no parquet files; trying {SourceResolver.ParquetConversionRevision}");
            (dataCommit, files) = await RevisionAsync(repoId, SourceResolver.ParquetConversionRevision, ct).ConfigureAwait(false);
            dataRevision = SourceResolver.ParquetConversionRevision;
            (chosenConfig, splits) = DatasetBuilder.SelectDataFiles(files, DatasetCard.Empty, config ?? card.Configs.FirstOrDefault()?.Name);
            if (splits.Count == 0)
                throw new HubRequestException($"{repoId} has no parquet data files on {revision} or {SourceResolver.ParquetConversionRevision}.", HttpStatusCode.NotFound, false);
        }
        var wanted = splits.SelectMany(s => s.Value).ToHashSet(StringComparer.Ordinal);
        var tree = await TreeAsync(repoId, dataRevision == revision ? commit : dataCommit, ct).ConfigureAwait(false);
        _cache.WriteRef(repoId, dataRevision, dataCommit);
        note($"Hub {_endpoint}datasets/{repoId}@{dataRevision} ({dataCommit}): {wanted.Count} parquet file(s) for {Features.ListRepr(splits.Select(s => s.Key))}");
        var source = $"{_endpoint}datasets/{repoId}@{dataCommit}";
        return new DatasetBuilder(repoId, chosenConfig, DatasetSourceKind.Hub, source, tried, card.InfoFor(chosenConfig), splits,
            (file, token) => DownloadAsync(repoId, dataCommit, dataRevision, file, tree.GetValueOrDefault(file), token), null);
    }

    /// <summary><c>GET /api/datasets/{repo}/revision/{rev}</c>: the commit and every file (each path checked).</summary>
    public async Task<(string Commit, List<string> Files)> RevisionAsync(string repoId, string revision, CancellationToken ct)
    {
        var url = new Uri(_endpoint, $"api/datasets/{repoId}/revision/{Uri.EscapeDataString(revision)}");
        var (json, _) = await GetJsonAsync(url, ct).ConfigureAwait(false);
        var commit = (string?)json["sha"];
        if (commit is null || !Sha1Pattern.IsMatch(commit))
            throw new InvalidDataException($"{url}: the answer has no commit sha (got '{commit}').");
        var files = new List<string>();
        if (json["siblings"] is JsonArray siblings)
        {
            foreach (var s in siblings)
            {
                var name = (string?)s?["rfilename"] ?? throw new InvalidDataException($"{url}: a sibling has no rfilename.");
                HubCache.SafeJoin(_cache.SnapshotFolder(repoId, commit), name);
                files.Add(name);
            }
        }
        return (commit, files);
    }

    /// <summary><c>GET /api/datasets/{repo}/tree/{rev}?recursive=true</c>, following <c>Link: rel="next"</c> pages.</summary>
    public async Task<Dictionary<string, TreeEntry>> TreeAsync(string repoId, string commit, CancellationToken ct)
    {
        var result = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        Uri? url = new Uri(_endpoint, $"api/datasets/{repoId}/tree/{Uri.EscapeDataString(commit)}?recursive=true&expand=false");
        for (var page = 0; url is not null && page < 10_000; page++)
        {
            var (json, next) = await GetJsonAsync(url, ct, array: true).ConfigureAwait(false);
            foreach (var entry in (JsonArray)json)
            {
                if ((string?)entry?["type"] != "file")
                    continue;
                var path = (string?)entry!["path"] ?? throw new InvalidDataException($"{url}: a tree entry has no path.");
                HubCache.SafeJoin(_cache.SnapshotFolder(repoId, commit), path);
                var lfs = entry["lfs"] as JsonObject;
                var sha = (string?)lfs?["oid"] ?? (string?)lfs?["sha256"];
                result[path] = new TreeEntry(path, (long?)lfs?["size"] ?? (long?)entry["size"] ?? -1, sha, (string?)entry["oid"]);
            }
            url = next;
        }
        return result;
    }

    private async Task<(JsonNode Json, Uri? Next)> GetJsonAsync(Uri url, CancellationToken ct, bool array = false)
    {
        return await WithRetriesAsync(url, async attemptCt =>
        {
            using var response = await SendAsync(url, HttpMethod.Get, null, attemptCt).ConfigureAwait(false);
            var final = response.RequestMessage?.RequestUri ?? url;
            await EnsureSuccessAsync(response, final).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(attemptCt).ConfigureAwait(false);
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{final}: the answer is not JSON: {e.Message}", e);
            }
            if (json is null || (array ? json is not JsonArray : json is not JsonObject))
                throw new InvalidDataException($"{final}: the answer is not a JSON {(array ? "array" : "object")}.");
            return (json, NextLink(response, final));
        }, ct).ConfigureAwait(false);
    }

    private static Uri? NextLink(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var m = Regex.Match(link, "<([^>]+)>\\s*;\\s*rel=\"?next\"?", RegexOptions.CultureInvariant);
            if (m.Success)
                return new Uri(current, m.Groups[1].Value);
        }
        return null;
    }

    /// <summary>
    /// <c>hf_hub_download</c>: the snapshot file, from the cache or downloaded into it. The blob is named by its etag (the
    /// LFS sha256, or the git blob sha1), written to <c>blobs/{etag}.incomplete</c>, verified, moved into place and linked.
    /// </summary>
    public async Task<string> DownloadAsync(string repoId, string commit, string revision, string path, TreeEntry? entry, CancellationToken ct)
    {
        if (_cache.TryGetFile(repoId, commit, path) is { } cached)
            return cached;
        var pointer = HubCache.SafeJoin(_cache.SnapshotFolder(repoId, commit), path);
        var url = new Uri(_endpoint, $"datasets/{repoId}/resolve/{commit}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}");
        var (etag, size) = await MetadataAsync(url, entry, ct).ConfigureAwait(false);
        var blob = _cache.BlobPath(repoId, etag);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        using (await AcquireLockAsync(_cache.LockPath(repoId, etag), ct).ConfigureAwait(false))
        {
            if (!File.Exists(blob))
            {
                _options.Log?.WriteLine($"hub: downloading {url} → {blob}");
                await DownloadBlobAsync(url, path, blob, etag, size, ct).ConfigureAwait(false);
            }
            else
                _options.Log?.WriteLine($"hub: {path} already in the cache as blob {etag}");
            _cache.LinkSnapshot(repoId, commit, path, etag);
        }
        if (revision != commit)
            _cache.WriteRef(repoId, revision, commit);
        return pointer;
    }

    /// <summary>The etag and size: the tree's LFS sha256 when known, else the <c>resolve</c> answer's headers
    /// (<c>X-Linked-Etag</c>, <c>ETag</c>, <c>X-Linked-Size</c>), read without following the redirect (as huggingface_hub's HEAD).</summary>
    private async Task<(string Etag, long Size)> MetadataAsync(Uri url, TreeEntry? entry, CancellationToken ct)
    {
        if (entry is { Sha256: { } sha, Size: >= 0 } && Sha256Pattern.IsMatch(sha))
            return (sha, entry.Size);
        return await WithRetriesAsync(url, async attemptCt =>
        {
            using var request = NewRequest(url, HttpMethod.Head, null);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCt).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 || response.IsSuccessStatusCode)
            {
                var etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag");
                var sizeText = Header(response, "X-Linked-Size") ?? (response.IsSuccessStatusCode ? response.Content.Headers.ContentLength?.ToString(CultureInfo.InvariantCulture) : null);
                etag = etag?.Replace("W/", "", StringComparison.Ordinal).Trim('"');
                if (etag is null || !(Sha256Pattern.IsMatch(etag) || Sha1Pattern.IsMatch(etag)))
                    throw new InvalidDataException($"{url}: the Hub sent no usable ETag/X-Linked-Etag ('{etag}'); the file cannot be verified or cached.");
                var size = long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : entry?.Size ?? -1;
                if (entry is { Sha256: { } treeSha } && treeSha != etag)
                    throw new InvalidDataException($"{url}: the tree lists sha256 {treeSha} but the file's etag is {etag}.");
                return (etag, size);
            }
            await EnsureSuccessAsync(response, url).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable");
        }, ct).ConfigureAwait(false);
    }

    private async Task DownloadBlobAsync(Uri url, string path, string blob, string etag, long expectedSize, CancellationToken ct)
    {
        var incomplete = blob + ".incomplete";
        await WithRetriesAsync(url, async attemptCt =>
        {
            var start = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
            if (expectedSize >= 0 && start > expectedSize)
            {
                File.Delete(incomplete);
                start = 0;
            }
            var range = start > 0 ? new RangeHeaderValue(start, null) : null;
            using var response = await SendAsync(url, HttpMethod.Get, range, attemptCt).ConfigureAwait(false);
            var final = response.RequestMessage?.RequestUri ?? url;
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(incomplete);
                throw new HubRequestException($"{final}: 416 for a resumed download; restarting it.", response.StatusCode, true);
            }
            await EnsureSuccessAsync(response, final).ConfigureAwait(false);
            var append = response.StatusCode == HttpStatusCode.PartialContent;
            if (append && response.Content.Headers.ContentRange?.From is { } from && from != start)
            {
                File.Delete(incomplete);
                throw new HubRequestException($"{final}: asked for bytes from {start}, got a range from {from}; restarting.", response.StatusCode, true);
            }
            if (!append)
                start = 0;
            var total = expectedSize >= 0 ? expectedSize : (response.Content.Headers.ContentLength is { } len ? start + len : -1);
            await using (var file = new FileStream(incomplete, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await using var body = await response.Content.ReadAsStreamAsync(attemptCt).ConfigureAwait(false);
                await CopyWithProgressAsync(body, file, path, start, total, attemptCt).ConfigureAwait(false);
            }
            return true;
        }, ct).ConfigureAwait(false);

        // Verify before anything points at it: a file that fails is deleted, never kept or linked.
        var actualSize = new FileInfo(incomplete).Length;
        if (expectedSize >= 0 && actualSize != expectedSize)
        {
            File.Delete(incomplete);
            throw new InvalidDataException($"{url}: downloaded {actualSize} bytes of '{path}', expected {expectedSize}; the file was discarded.");
        }
        var actual = Sha256Pattern.IsMatch(etag) ? await Sha256Async(incomplete, ct).ConfigureAwait(false) : await GitBlobSha1Async(incomplete, ct).ConfigureAwait(false);
        if (actual != etag)
        {
            File.Delete(incomplete);
            throw new InvalidDataException($"{url}: checksum mismatch for '{path}': expected {etag}, got {actual}; the file was discarded.");
        }
        File.Move(incomplete, blob, overwrite: true);
    }

    private async Task CopyWithProgressAsync(Stream body, Stream file, string path, long done, long total, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        var show = _options.Progress && !Console.IsErrorRedirected;
        var clock = Stopwatch.StartNew();
        var lastDraw = -1L;
        while (true)
        {
            // A stalled connection counts as a timeout and is retried (resuming with Range).
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stall.CancelAfter(_options.RequestTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no data for {_options.RequestTimeout.TotalSeconds:F0} s while downloading '{path}'");
            }
            if (read == 0)
                break;
            await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            done += read;
            if (show && clock.ElapsedMilliseconds - lastDraw >= 100)
            {
                lastDraw = clock.ElapsedMilliseconds;
                Console.Error.Write(total > 0
                    ? $"\r{path}: {100.0 * done / total,5:F1}% {done / 1e6:F1}/{total / 1e6:F1} MB"
                    : $"\r{path}: {done / 1e6:F1} MB");
            }
        }
        if (total > 0 && done < total)
            throw new IOException($"the connection closed after {done} of {total} bytes of '{path}'");
        if (show)
            Console.Error.WriteLine(total > 0 ? $"\r{path}: 100.0% {done / 1e6:F1}/{total / 1e6:F1} MB" : $"\r{path}: {done / 1e6:F1} MB");
    }

    /// <summary>Sends a request and follows redirects by hand (at most 10); the token goes only to the endpoint's host.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, HttpMethod method, RangeHeaderValue? range, CancellationToken ct)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = NewRequest(current, method, range);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= MaxRedirects)
                    throw new HubRequestException($"{url}: more than {MaxRedirects} redirects.", response.StatusCode, false);
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (current.Scheme is not ("http" or "https"))
                    throw new HubRequestException($"{url}: redirected to a non-HTTP address.", response.StatusCode, false);
                continue;
            }
            response.RequestMessage ??= new HttpRequestMessage(method, current);
            response.RequestMessage.RequestUri = current;
            return response;
        }
    }

    private HttpRequestMessage NewRequest(Uri url, HttpMethod method, RangeHeaderValue? range)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.UserAgent.ParseAdd("GenNet/0.1 (huggingface_hub-compatible)");
        if (range is not null)
            request.Headers.Range = range;
        if (_options.ResolvedToken is { } token && SameOrigin(url, _endpoint))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, Uri url)
    {
        if (response.IsSuccessStatusCode)
            return;
        var status = response.StatusCode;
        var code = (int)status;
        string detail = "";
        try
        {
            detail = (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Trim();
            if (detail.Length > 200)
                detail = detail[..200] + "…";
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
        }
        var hint = code switch
        {
            401 or 403 => " (a gated or private dataset: set HF_TOKEN to a token that has access)",
            404 => " (no such dataset, revision or file)",
            _ => "",
        };
        throw new HubRequestException($"{url}: HTTP {code} {response.ReasonPhrase}{hint}{(detail.Length > 0 ? ": " + detail : "")}", status, code is >= 500 or 429);
    }

    /// <summary>Retries 5xx, 429, timeouts and cut connections with exponential backoff, bounded in count and total time.</summary>
    private async Task<T> WithRetriesAsync<T>(Uri url, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var delay = _options.RetryDelay;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Retryable(e, ct) && n < _options.MaxAttempts && clock.Elapsed + delay < _options.RetryBudget)
            {
                _options.Log?.WriteLine($"hub: {url.GetLeftPart(UriPartial.Path)}: attempt {n} failed ({e.Message}); retrying in {delay.TotalSeconds:F1} s");
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay += delay;
            }
            catch (Exception e) when (Retryable(e, ct))
            {
                throw new HubRequestException($"{url.GetLeftPart(UriPartial.Path)}: gave up after {n} attempt(s) in {clock.Elapsed.TotalSeconds:F1} s: {e.Message}",
                    (e as HubRequestException)?.Status, true, e);
            }
        }
    }

    private static bool Retryable(Exception e, CancellationToken ct) => e switch
    {
        HubRequestException h => h.IsNetwork,
        HttpRequestException => true,
        TimeoutException => true,
        TaskCanceledException when !ct.IsCancellationRequested => true,
        InvalidDataException or FileNotFoundException => false,
        IOException => true,
        _ => false,
    };

    private async Task<IDisposable> AcquireLockAsync(string lockPath, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var clock = Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix, the same lock Python's filelock takes.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < _options.LockTimeout)
            {
                if (!said)
                {
                    _options.Log?.WriteLine($"hub: waiting for {lockPath} (another process is downloading the same file)");
                    said = true;
                }
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"Waited {_options.LockTimeout.TotalSeconds:F0} s for the cache lock {lockPath}; another process holds it.", e);
            }
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
    }

    /// <summary>Git's blob id: sha1 of <c>"blob {size}\0"</c> + content (the etag of files not stored in LFS).</summary>
    private static async Task<string> GitBlobSha1Async(string path, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(Encoding.ASCII.GetBytes($"blob {new FileInfo(path).Length.ToString(CultureInfo.InvariantCulture)}\0"));
        await using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            sha.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
