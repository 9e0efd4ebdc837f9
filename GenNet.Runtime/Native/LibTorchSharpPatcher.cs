using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace GenNet.Native;

/// <summary>What <see cref="LibTorchSharpPatcher.Prepare"/> decided for one native library.</summary>
public enum NativePreparationKind
{
    /// <summary>Every version the library needs is present: load it as shipped.</summary>
    Unchanged,
    /// <summary>Missing versions were only link-time markers; a patched copy marks them weak.</summary>
    Patched,
    /// <summary>A missing version is really used; the library cannot load on this system.</summary>
    Unloadable,
}

/// <summary>The outcome of preparing a native library for this system.</summary>
/// <param name="Kind">What was decided.</param>
/// <param name="LibraryPath">The file to load: the original, or the patched copy.</param>
/// <param name="Missing">The versions the system lacks, as <c>file:version</c> (empty when unchanged).</param>
/// <param name="Problem">For <see cref="NativePreparationKind.Unloadable"/>, why and what to do.</param>
/// <param name="NeededLibraries">The library's <c>DT_NEEDED</c> entries, which a patched copy cannot find by <c>$ORIGIN</c>.</param>
public sealed record NativePreparation(NativePreparationKind Kind, string LibraryPath, IReadOnlyList<string> Missing, string? Problem,
    IReadOnlyList<string> NeededLibraries);

/// <summary>
/// Makes TorchSharp's native shim loadable where the system C++ runtime is older than the one it was built with.
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> declares a need for <c>GLIBCXX_3.4.32</c> (GCC 13) only because of
/// the iostream-initialisation marker symbol <c>std::ios_base_library_init</c>, which no relocation uses; Debian 12 and
/// Ubuntu 22.04 stop at 3.4.30, so glibc refuses the file. A need whose symbols nothing relocates can be marked weak
/// without changing what the code does. The patch is applied to a copy in a cache folder keyed by the original's
/// hash — never to the NuGet cache or the build output — and only when the system really lacks the version.
/// </summary>
public static class LibTorchSharpPatcher
{
    /// <summary>
    /// Decides how <paramref name="libraryPath"/> can be loaded, writing a patched copy under
    /// <paramref name="cacheRoot"/> when one is needed.
    /// </summary>
    /// <param name="libraryPath">The shipped native library.</param>
    /// <param name="definedVersions">
    /// For a needed library file name (e.g. <c>libstdc++.so.6</c>), the versions the system's copy defines, or null when
    /// that library is unknown here (then its needs are left for the dynamic loader to judge).
    /// </param>
    /// <param name="cacheRoot">Folder that receives patched copies; created if missing.</param>
    /// <exception cref="ElfFormatException">The library is not a readable ELF file.</exception>
    /// <exception cref="IOException">The patched copy could not be written.</exception>
    public static NativePreparation Prepare(string libraryPath, Func<string, IReadOnlyCollection<string>?> definedVersions, string cacheRoot)
    {
        ArgumentNullException.ThrowIfNull(definedVersions);
        byte[] bytes = File.ReadAllBytes(libraryPath);
        var image = ElfImage.Parse(bytes, libraryPath);

        var missing = image.VersionNeeds
            .Where(need => !need.IsWeak && definedVersions(need.File) is { } defined && !defined.Contains(need.Version))
            .ToList();
        var missingNames = missing.Select(n => $"{n.File}:{n.Version}").ToList();
        if (missing.Count == 0)
            return new NativePreparation(NativePreparationKind.Unchanged, libraryPath, missingNames, null, image.NeededLibraries);

        foreach (var need in missing)
        {
            var used = image.SymbolsBoundTo(need).Where(s => s.Relocated).Select(s => s.Symbol).ToList();
            if (used.Count > 0)
            {
                string problem =
                    $"{Path.GetFileName(libraryPath)} needs {need.Version} from {need.File} for {string.Join(", ", used.Take(5))}" +
                    $"{(used.Count > 5 ? $" and {used.Count - 5} more" : "")}, and this system's {need.File} does not provide it. " +
                    $"Install a newer {need.File} (GCC 13 or later; e.g. Ubuntu 24.04 or Debian 13), or use a TorchSharp build made for this distribution.";
                return new NativePreparation(NativePreparationKind.Unloadable, libraryPath, missingNames, problem, image.NeededLibraries);
            }
        }

        string hash = Convert.ToHexString(SHA256.HashData(bytes), 0, 12).ToLowerInvariant();
        string folder = Path.Combine(cacheRoot, hash);
        string target = Path.Combine(folder, Path.GetFileName(libraryPath));
        foreach (var need in missing)
            ElfImage.MarkWeak(bytes, need);

        if (!IsSameContent(target, bytes))
        {
            Directory.CreateDirectory(folder);
            // A unique temporary name and an atomic rename: concurrent processes (parallel test hosts) never see a
            // half-written library, and the last writer wins with identical bytes.
            string temporary = Path.Combine(folder, $".{Path.GetFileName(libraryPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, target, overwrite: true);
        }
        return new NativePreparation(NativePreparationKind.Patched, target, missingNames, null, image.NeededLibraries);
    }

    private static bool IsSameContent(string path, byte[] expected)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length == expected.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(expected);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
