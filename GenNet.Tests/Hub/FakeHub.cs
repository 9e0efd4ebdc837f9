using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace GenNet.Tests.Hub;

/// <summary>
/// A Hub on 127.0.0.1 for the tests: the API routes huggingface_hub uses, <c>resolve</c> answered by a redirect to a
/// second listener acting as the CDN (another port, so another origin), <c>Range</c>, ETag headers, pagination, and
/// injected faults. Every request is recorded.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    private readonly HttpListener _api = new();
    private readonly HttpListener _cdn = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();
    private readonly Dictionary<string, Revision> _revisions = new(StringComparer.Ordinal);

    public sealed record Revision(string Repo, string Commit, Dictionary<string, byte[]> Files, List<string> ExtraListed);

    public sealed record Request(string Host, string Method, string Path, string? Range, bool Authorized);

    public FakeHub()
    {
        ApiPort = Start(_api);
        CdnPort = Start(_cdn);
        _loops.Add(Task.Run(() => Serve(_api, HandleApi)));
        _loops.Add(Task.Run(() => Serve(_cdn, HandleCdn)));
    }

    public int ApiPort { get; }

    public int CdnPort { get; }

    public string Endpoint => $"http://127.0.0.1:{ApiPort}";

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>CDN faults by blob sha256: answered before any data (a status) or cut after some bytes.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<Fault>> CdnFaults { get; } = new();

    /// <summary>Serve these bytes instead of the file's (a wrong checksum), by path.</summary>
    public ConcurrentDictionary<string, byte[]> CorruptContent { get; } = new();

    /// <summary>Delay each CDN body by this much (to make concurrent downloads overlap).</summary>
    public TimeSpan CdnDelay { get; set; }

    public string? ExpectedToken { get; set; }

    public sealed record Fault(int Status, int CutAfterBytes = -1);

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string GitSha1(byte[] data)
    {
        var header = Encoding.ASCII.GetBytes($"blob {data.Length}\0");
        return Convert.ToHexStringLower(SHA1.HashData(header.Concat(data).ToArray()));
    }

    public Revision AddRevision(string repo, string revision, IReadOnlyDictionary<string, byte[]> files, string? commit = null)
    {
        commit ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var r = new Revision(repo, commit, new Dictionary<string, byte[]>(files), new List<string>());
        _revisions[$"{repo}@{revision}"] = r;
        _revisions[$"{repo}@{commit}"] = r;
        return r;
    }

    public static bool IsLfs(string path) => !path.EndsWith(".md", StringComparison.Ordinal);

    public int CdnGets(string sha) => Requests.Count(r => r.Host == "cdn" && r.Method == "GET" && r.Path.EndsWith(sha, StringComparison.Ordinal));

    private static int Start(HttpListener listener)
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return port;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
            }
        }
    }

    private async Task Serve(HttpListener listener, Func<HttpListenerContext, Task> handle)
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested || !listener.IsListening)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(context).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    try
                    {
                        context.Response.Abort();
                    }
                    catch (Exception)
                    {
                    }
                }
            });
        }
    }

    private Task HandleApi(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        var authorized = request.Headers["Authorization"] is { } auth && ExpectedToken is not null && auth == "Bearer " + ExpectedToken;
        Requests.Enqueue(new Request("api", request.HttpMethod, request.Url!.PathAndQuery, request.Headers["Range"], request.Headers["Authorization"] is not null));
        if (ExpectedToken is not null && !authorized)
            return Status(response, 401, "{\"error\":\"Invalid credentials\"}");

        // /api/datasets/{owner}/{name}/revision/{rev}
        if (path.StartsWith("/api/datasets/", StringComparison.Ordinal) && path.Contains("/revision/", StringComparison.Ordinal))
        {
            var rest = path["/api/datasets/".Length..];
            var at = rest.IndexOf("/revision/", StringComparison.Ordinal);
            var repo = rest[..at];
            var rev = rest[(at + "/revision/".Length)..];
            if (!_revisions.TryGetValue($"{repo}@{rev}", out var r))
                return Status(response, 404, "{\"error\":\"Repository not found\"}");
            var siblings = new JsonArray(r.Files.Keys.Concat(r.ExtraListed).Select(f => (JsonNode)new JsonObject { ["rfilename"] = f }).ToArray());
            return Json(response, new JsonObject { ["id"] = repo, ["sha"] = r.Commit, ["siblings"] = siblings });
        }
        // /api/datasets/{owner}/{name}/tree/{rev}?recursive=true[&cursor=n]
        if (path.StartsWith("/api/datasets/", StringComparison.Ordinal) && path.Contains("/tree/", StringComparison.Ordinal))
        {
            var rest = path["/api/datasets/".Length..];
            var at = rest.IndexOf("/tree/", StringComparison.Ordinal);
            var repo = rest[..at];
            var rev = rest[(at + "/tree/".Length)..];
            if (!_revisions.TryGetValue($"{repo}@{rev}", out var r))
                return Status(response, 404, "{\"error\":\"Revision not found\"}");
            var cursor = int.Parse(request.QueryString["cursor"] ?? "0", CultureInfo.InvariantCulture);
            var all = r.Files.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
            var page = all.Skip(cursor).Take(2).ToList();
            if (cursor + 2 < all.Count)
                response.AddHeader("Link", $"<{Endpoint}/api/datasets/{repo}/tree/{rev}?recursive=true&cursor={cursor + 2}>; rel=\"next\"");
            var entries = new JsonArray(page.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = "file",
                ["path"] = f.Key,
                ["size"] = f.Value.Length,
                ["oid"] = GitSha1(f.Value),
                ["lfs"] = IsLfs(f.Key) ? new JsonObject { ["oid"] = Sha256(f.Value), ["size"] = f.Value.Length } : null,
            }).ToArray());
            return Json(response, entries);
        }
        // /datasets/{owner}/{name}/resolve/{rev}/{path}
        if (path.StartsWith("/datasets/", StringComparison.Ordinal) && path.Contains("/resolve/", StringComparison.Ordinal))
        {
            var rest = path["/datasets/".Length..];
            var at = rest.IndexOf("/resolve/", StringComparison.Ordinal);
            var repo = rest[..at];
            var tail = rest[(at + "/resolve/".Length)..];
            var slash = tail.IndexOf('/');
            var rev = tail[..slash];
            var file = tail[(slash + 1)..];
            if (!_revisions.TryGetValue($"{repo}@{rev}", out var r) || !r.Files.TryGetValue(file, out var content))
                return Status(response, 404, "{\"error\":\"Entry not found\"}");
            response.AddHeader("X-Repo-Commit", r.Commit);
            if (IsLfs(file))
            {
                var sha = Sha256(content);
                response.AddHeader("X-Linked-Etag", $"\"{sha}\"");
                response.AddHeader("X-Linked-Size", content.Length.ToString(CultureInfo.InvariantCulture));
                response.AddHeader("ETag", $"\"{GitSha1(content)}\"");
                // A relative redirect first (as the Hub does for renamed repos) would also work; the CDN is another origin.
                response.Redirect($"http://127.0.0.1:{CdnPort}/blobs/{Uri.EscapeDataString(file)}/{sha}");
                response.StatusCode = 302;
                response.Close();
                return Task.CompletedTask;
            }
            response.AddHeader("ETag", $"\"{GitSha1(content)}\"");
            return Body(context, CorruptContent.TryGetValue(file, out var bad) ? bad : content, null);
        }
        return Status(response, 404, "{\"error\":\"no route\"}");
    }

    private async Task HandleCdn(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        Requests.Enqueue(new Request("cdn", request.HttpMethod, request.Url!.AbsolutePath, request.Headers["Range"], request.Headers["Authorization"] is not null));
        // /blobs/{file}/{sha}
        var parts = request.Url!.AbsolutePath.Split('/');
        var sha = parts[^1];
        var file = Uri.UnescapeDataString(parts[^2]);
        var content = _revisions.Values.SelectMany(r => r.Files).Where(f => Sha256(f.Value) == sha).Select(f => f.Value).FirstOrDefault();
        if (content is null)
        {
            await Status(response, 404, "not found").ConfigureAwait(false);
            return;
        }
        if (CorruptContent.TryGetValue(file, out var bad))
            content = bad;
        if (CdnFaults.TryGetValue(sha, out var faults) && faults.TryDequeue(out var fault))
        {
            if (fault.CutAfterBytes < 0)
            {
                await Status(response, fault.Status, "injected failure").ConfigureAwait(false);
                return;
            }
            response.StatusCode = 200;
            response.ContentLength64 = content.Length;
            await response.OutputStream.WriteAsync(content.AsMemory(0, fault.CutAfterBytes)).ConfigureAwait(false);
            await response.OutputStream.FlushAsync().ConfigureAwait(false);
            response.Abort(); // the connection is cut mid-body
            return;
        }
        if (CdnDelay > TimeSpan.Zero)
            await Task.Delay(CdnDelay).ConfigureAwait(false);
        await Body(context, content, request.Headers["Range"]).ConfigureAwait(false);
    }

    private static async Task Body(HttpListenerContext context, byte[] content, string? range)
    {
        var response = context.Response;
        var start = 0L;
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var spec = range["bytes=".Length..].Split('-');
            start = long.Parse(spec[0], CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}");
        }
        else
            response.StatusCode = 200;
        response.AddHeader("Accept-Ranges", "bytes");
        response.ContentLength64 = content.Length - start;
        if (context.Request.HttpMethod != "HEAD")
            await response.OutputStream.WriteAsync(content.AsMemory((int)start)).ConfigureAwait(false);
        response.Close();
    }

    private static Task Json(HttpListenerResponse response, JsonNode json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        response.ContentType = "application/json";
        response.StatusCode = 200;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
        return Task.CompletedTask;
    }

    private static Task Status(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _api.Stop();
        _cdn.Stop();
        _api.Close();
        _cdn.Close();
        try
        {
            Task.WaitAll(_loops.ToArray(), TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
