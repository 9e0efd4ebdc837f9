using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace GenNet.Native;

/// <summary>
/// Prepares libtorch for this process before TorchSharp initialises. Every assembly that references GenNet gets a
/// generated module initializer that calls <see cref="Initialize"/>, so applications and test projects need no
/// manual step. On Linux systems whose C++ runtime is older than TorchSharp's native shim expects (Debian 12,
/// Ubuntu 22.04, RHEL 9), it loads a patched copy of the shim (see <see cref="LibTorchSharpPatcher"/>); elsewhere it
/// changes nothing.
/// </summary>
public static class TorchNative
{
    /// <summary>The file name of TorchSharp's native shim on Linux.</summary>
    public const string ShimFileName = "libLibTorchSharp.so";

    /// <summary>Environment variable that overrides where patched copies are kept.</summary>
    public const string CacheVariable = "GENNET_NATIVE_CACHE";

    /// <summary>Environment variable that, set to <c>0</c>, turns the preparation off.</summary>
    public const string EnableVariable = "GENNET_NATIVE_FIX";

    private static readonly object Gate = new();
    private static IntPtr _shimHandle;
    private static bool _initialized;

    /// <summary>What <see cref="Initialize"/> did; <c>null</c> before it ran.</summary>
    public static NativePreparation? Preparation { get; private set; }

    /// <summary>Why preparation failed, or <c>null</c> when it succeeded or was not needed.</summary>
    public static TorchNativeLoadException? Failure { get; private set; }

    /// <summary>
    /// Prepares and preloads TorchSharp's native libraries once per process. Never throws: a failure is kept in
    /// <see cref="Failure"/>, thrown by <see cref="EnsureLoaded"/>, and — if TorchSharp's own initialisation then
    /// brings the process down — printed as the one message the user sees instead of the runtime's exception chain.
    /// </summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_initialized)
                return;
            _initialized = true;
            if (!OperatingSystem.IsLinux())
                return;
            try
            {
                PrepareAndLoad(patchingEnabled: Environment.GetEnvironmentVariable(EnableVariable) != "0");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or BadImageFormatException or InvalidOperationException)
            {
                Failure = new TorchNativeLoadException($"GenNet could not prepare TorchSharp's native library: {e.Message}", e);
            }
            if (Failure is not null)
                AppDomain.CurrentDomain.UnhandledException += ReportLoadFailure;
        }
    }

    /// <summary>
    /// Makes sure libtorch is usable in this process, or throws one exception that says what failed, which file, and
    /// what to do — instead of TorchSharp's <see cref="TypeInitializationException"/> chain.
    /// </summary>
    /// <exception cref="TorchNativeLoadException">libtorch cannot be loaded.</exception>
    public static void EnsureLoaded()
    {
        Initialize();
        if (Failure is not null)
            throw Failure;
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            var root = e;
            while (root.InnerException is not null)
                root = root.InnerException;
            throw LoadFailure(Preparation?.LibraryPath ?? FindShim(), FirstLine(root.Message), e);
        }
    }

    private static void PrepareAndLoad(bool patchingEnabled)
    {
        string? shim = FindShim();
        if (shim is null)
            return; // TorchSharp may still find a backend in the NuGet cache; EnsureLoaded explains if it does not.

        if (patchingEnabled)
        {
            var systemVersions = new Dictionary<string, IReadOnlyCollection<string>?>(StringComparer.Ordinal);
            Preparation = LibTorchSharpPatcher.Prepare(shim, file =>
            {
                if (!systemVersions.TryGetValue(file, out var versions))
                    systemVersions[file] = versions = LoadedLibraryVersions(file);
                return versions;
            }, CacheRoot());
            if (Preparation.Kind == NativePreparationKind.Unloadable)
            {
                Failure = new TorchNativeLoadException($"libtorch cannot be loaded from '{shim}': {Preparation.Problem}");
                return;
            }
        }

        // Load the shim now, so a failure is diagnosed here with the loader's own words. A patched copy lives outside
        // the package folder, so its $ORIGIN no longer finds libtorch: load libtorch's libraries first by full path
        // (their own $ORIGIN finds their dependencies); the copy's DT_NEEDED names then resolve to those sonames.
        string library = Preparation?.LibraryPath ?? shim;
        try
        {
            if (Preparation?.Kind == NativePreparationKind.Patched)
            {
                string originalFolder = Path.GetDirectoryName(shim)!;
                foreach (string needed in Preparation.NeededLibraries)
                {
                    string candidate = Path.Combine(originalFolder, needed);
                    if (File.Exists(candidate))
                        NativeLibrary.Load(candidate);
                }
            }
            _shimHandle = NativeLibrary.Load(library);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            Failure = LoadFailure(library, LoaderError(e.Message), e);
            return;
        }
        if (Preparation?.Kind == NativePreparationKind.Patched)
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, ResolveTorchSharpImport);
    }

    private static TorchNativeLoadException LoadFailure(string? library, string reason, Exception? inner)
    {
        string hint = reason.Contains("GLIBCXX", StringComparison.Ordinal) && Environment.GetEnvironmentVariable(EnableVariable) == "0"
            ? $"This system's libstdc++ is older than TorchSharp's native library expects; GenNet fixes that automatically, but {EnableVariable}=0 turned the fix off: unset it (see the README's 'Native loading' section)."
            : "Reference a native backend in the application (libtorch-cpu-linux-x64 or TorchSharp-cpu; TorchSharp-cuda-linux for GPUs) that matches this machine, rebuild, and see the README's 'Native loading' section.";
        string where = library ?? $"{ShimFileName} (not found beside the application)";
        return new TorchNativeLoadException($"libtorch could not be loaded from '{where}': {reason}. {hint}", inner);
    }

    /// <summary>
    /// TorchSharp's static constructor failed and nothing caught it: print GenNet's diagnosis, which names the file and
    /// the fix, instead of the runtime's TypeInitializationException chain, and end the process as it would have.
    /// </summary>
    private static void ReportLoadFailure(object sender, UnhandledExceptionEventArgs args)
    {
        for (var e = args.ExceptionObject as Exception; e is not null; e = e.InnerException)
        {
            if (e is TorchNativeLoadException || (e is TypeInitializationException t && t.TypeName?.StartsWith("TorchSharp.", StringComparison.Ordinal) == true))
            {
                Console.Error.WriteLine($"Unhandled exception. {typeof(TorchNativeLoadException).FullName}: {Failure!.Message}");
                Environment.Exit(1);
            }
        }
    }

    private static IntPtr ResolveTorchSharpImport(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => libraryName == "LibTorchSharp" || libraryName == ShimFileName ? _shimHandle : IntPtr.Zero;

    /// <summary>The folders .NET probes for native libraries of this application, most specific first.</summary>
    private static string? FindShim()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (string root in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "" })
        {
            if (root.Length == 0)
                continue;
            folders.Add(root);
            folders.Add(Path.Combine(root, "runtimes", rid, "native"));
        }
        return folders.Select(f => Path.Combine(f, ShimFileName)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The versions defined by the copy of <paramref name="fileName"/> that this process already has mapped (the .NET
    /// host itself links libstdc++ and libc), or null when the process has no such library.
    /// </summary>
    private static IReadOnlyCollection<string>? LoadedLibraryVersions(string fileName)
    {
        string? path = MappedLibraryPath(fileName);
        return path is null ? null : ElfImage.Load(path).VersionDefinitions;
    }

    private static string? MappedLibraryPath(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
            return null;
        foreach (string line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash < 0)
                continue;
            string path = line[slash..].Trim();
            string name = Path.GetFileName(path);
            // Maps list the real file (libstdc++.so.6.0.30), the soname is its prefix.
            if ((name == fileName || name.StartsWith(fileName + ".", StringComparison.Ordinal)) && File.Exists(path))
                return path;
        }
        return null;
    }

    private static string CacheRoot()
    {
        string? configured = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrEmpty(configured))
            return configured;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string baseFolder = !string.IsNullOrEmpty(xdg) ? xdg
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(baseFolder, "gennet", "native");
    }

    /// <summary>
    /// .NET's DllNotFoundException text is advice about strace and LD_DEBUG, followed by the dynamic loader's own
    /// message on the last line (e.g. "version `GLIBCXX_3.4.32' not found"): keep the loader's words.
    /// </summary>
    private static string LoaderError(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? message : lines[^1];
    }

    private static string FirstLine(string text)
    {
        int newline = text.IndexOf('\n');
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
