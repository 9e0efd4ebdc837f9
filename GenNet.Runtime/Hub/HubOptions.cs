using System;
using System.IO;
using System.Net.Http;

namespace GenNet.Hub;

/// <summary>
/// Where and how <see cref="Datasets.LoadDataset(string, HubOptions?)"/> looks for data. Unset values come from the environment as in
/// <c>huggingface_hub</c>: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>, <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_CACHE</c> / <c>HF_HOME</c>.
/// </summary>
public sealed record HubOptions
{
    /// <summary>The revision (branch, tag or commit); default <c>main</c>.</summary>
    public string Revision { get; init; } = "main";

    /// <summary>The configuration (HF's <c>name</c>), or <see langword="null"/> for the card's default.</summary>
    public string? Config { get; init; }

    /// <summary>The Hub cache folder; default <c>$HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>.</summary>
    public string? CacheDir { get; init; }

    /// <summary>
    /// Where decompressed copies of gzip IDX files are kept (as <c>datasets</c> keeps Arrow copies), so later loads skip
    /// the decompression; default <c>$HF_DATASETS_CACHE</c>, else <c>$HF_HOME/datasets</c>, else
    /// <c>~/.cache/huggingface/datasets</c>. An empty string turns it off.
    /// </summary>
    public string? DatasetsCacheDir { get; init; }

    /// <summary>The Hub's address; default <c>$HF_ENDPOINT</c>, else <c>https://huggingface.co</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The access token; default <c>$HF_TOKEN</c>. Sent only to the endpoint's host, never logged.</summary>
    public string? Token { get; init; }

    /// <summary>Never contact the Hub; default <c>$HF_HUB_OFFLINE</c> is 1/true/yes/on.</summary>
    public bool? Offline { get; init; }

    /// <summary>The folders searched for Debian's dataset packages (IDX files); default <c>/usr/share/datasets</c>.</summary>
    public string SystemDatasetsFolder { get; init; } = "/usr/share/datasets";

    /// <summary>Receives one line per source tried and per download (the verbose log); <see langword="null"/> for none.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Show a progress bar for downloads on a terminal (never when standard error is redirected).</summary>
    public bool Progress { get; init; } = true;

    /// <summary>Attempts per HTTP request on 5xx, 429, timeouts and cut connections (default 5).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The longest time spent retrying one request (default 60 s).</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry delay; it doubles each time (default 0.5 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The timeout of one HTTP request without progress (default 30 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for another process's download of the same file (default 10 min).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A handler for the HTTP client (tests, proxies); default a <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    internal string ResolvedCacheDir => CacheDir ?? HubCache.DefaultRoot();

    internal string ResolvedEndpoint =>
        (Endpoint ?? (Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } e ? e : "https://huggingface.co")).TrimEnd('/');

    internal string? ResolvedDatasetsCache =>
        DatasetsCacheDir is { } d ? (d.Length == 0 ? null : d)
        : Environment.GetEnvironmentVariable("HF_DATASETS_CACHE") is { Length: > 0 } env ? env
        : Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } home ? Path.Combine(home, "datasets")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface", "datasets");

    internal string? ResolvedToken => Token ?? (Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } t ? t : null);

    internal bool ResolvedOffline => Offline ?? Environment.GetEnvironmentVariable("HF_HUB_OFFLINE")?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
}
