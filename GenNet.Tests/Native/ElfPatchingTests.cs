using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using GenNet.Native;
using GenNet.Tests.Support;
using Xunit;

namespace GenNet.Tests.Native;

/// <summary>
/// The ELF logic on small fixtures built by Fixtures/make-fixtures.sh: needs-marker.so needs PROV_2.0 from
/// libprovider.so only through an unrelocated marker symbol (TorchSharp's GLIBCXX_3.4.32 case); needs-used.so really
/// calls that symbol; old/libprovider.so is the "system" provider that lacks PROV_2.0.
/// </summary>
public sealed class ElfPatchingTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Native", "Fixtures");
    private static readonly string NeedsMarker = Path.Combine(Fixtures, "needs-marker.so");
    private static readonly string NeedsUsed = Path.Combine(Fixtures, "needs-used.so");
    private static readonly string OldProvider = Path.Combine(Fixtures, "old", "libprovider.so");

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "gennet-elf-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_cache))
            Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public void ReadsVersionNeedsAndTheirFiles()
    {
        var image = ElfImage.Load(NeedsMarker);

        Assert.Contains("libprovider.so", image.NeededLibraries);
        var needs = image.VersionNeeds.Where(n => n.File == "libprovider.so").Select(n => n.Version).ToList();
        Assert.Equal(new[] { "PROV_1.0", "PROV_2.0" }, needs.OrderBy(v => v, StringComparer.Ordinal));
        Assert.All(image.VersionNeeds, n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void ReadsVersionDefinitionsOfAProvider()
    {
        var definitions = ElfImage.Load(OldProvider).VersionDefinitions;

        Assert.Contains("PROV_1.0", definitions);
        Assert.DoesNotContain("PROV_2.0", definitions);
    }

    [Fact]
    public void TellsAMarkerNeedFromAReallyUsedOne()
    {
        var marker = ElfImage.Load(NeedsMarker);
        var used = ElfImage.Load(NeedsUsed);

        Assert.Equal(new[] { ("marker", false) }, marker.SymbolsBoundTo(Need(marker, "PROV_2.0")));
        Assert.Equal(new[] { ("marker", true) }, used.SymbolsBoundTo(Need(used, "PROV_2.0")));
    }

    [Fact]
    public void PatchesACopyWhenOnlyAMarkerNeedsTheMissingVersion()
    {
        byte[] original = File.ReadAllBytes(NeedsMarker);

        var result = LibTorchSharpPatcher.Prepare(NeedsMarker, OldProviderVersions, _cache);

        Assert.Equal(NativePreparationKind.Patched, result.Kind);
        Assert.Equal(new[] { "libprovider.so:PROV_2.0" }, result.Missing);
        Assert.StartsWith(_cache, result.LibraryPath);
        Assert.Equal(original, File.ReadAllBytes(NeedsMarker)); // the source is never modified in place
        byte[] patched = File.ReadAllBytes(result.LibraryPath);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var need = Need(ElfImage.Load(NeedsMarker), "PROV_2.0");
        Assert.Equal(new[] { (int)need.FlagsOffset }, changed);
        Assert.True(Need(ElfImage.Load(result.LibraryPath), "PROV_2.0").IsWeak);
        Assert.False(Need(ElfImage.Load(result.LibraryPath), "PROV_1.0").IsWeak);
    }

    [Fact]
    public void ReusesThePatchedCopyOnTheNextRun()
    {
        var first = LibTorchSharpPatcher.Prepare(NeedsMarker, OldProviderVersions, _cache);
        var written = File.GetLastWriteTimeUtc(first.LibraryPath);

        var second = LibTorchSharpPatcher.Prepare(NeedsMarker, OldProviderVersions, _cache);

        Assert.Equal(first.LibraryPath, second.LibraryPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.LibraryPath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(first.LibraryPath)!)); // no temporary files left behind
    }

    [Fact]
    public void LeavesTheLibraryAloneWhenTheSystemHasEveryVersion()
    {
        var result = LibTorchSharpPatcher.Prepare(NeedsMarker, _ => new[] { "PROV_1.0", "PROV_2.0" }, _cache);

        Assert.Equal(NativePreparationKind.Unchanged, result.Kind);
        Assert.Equal(NeedsMarker, result.LibraryPath);
        Assert.False(Directory.Exists(_cache));
    }

    [Fact]
    public void LeavesNeedsOfUnknownLibrariesToTheDynamicLoader()
    {
        var result = LibTorchSharpPatcher.Prepare(NeedsMarker, _ => null, _cache);

        Assert.Equal(NativePreparationKind.Unchanged, result.Kind);
    }

    [Fact]
    public void RefusesToPatchAVersionThatCodeReallyUses()
    {
        var result = LibTorchSharpPatcher.Prepare(NeedsUsed, OldProviderVersions, _cache);

        Assert.Equal(NativePreparationKind.Unloadable, result.Kind);
        Assert.Contains("needs PROV_2.0 from libprovider.so for marker", result.Problem);
        Assert.Contains("Install a newer libprovider.so", result.Problem);
        Assert.False(Directory.Exists(_cache));
    }

    [Fact]
    public void RejectsAFileThatIsNotElf()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "xunit.runner.json");

        var error = Assert.Throws<ElfFormatException>(() => ElfImage.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("does not start with the ELF magic bytes", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(40)]   // inside the ELF header
    [InlineData(2000)] // the header is whole, the section table it points to is not
    public void RejectsATruncatedFile(int length)
    {
        byte[] truncated = File.ReadAllBytes(NeedsMarker)[..length];

        var error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(truncated, "truncated.so"));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("truncated.so", error.Message);
    }

    [Fact]
    public void RejectsA32BitElf()
    {
        byte[] bytes = File.ReadAllBytes(NeedsMarker);
        bytes[4] = 1; // EI_CLASS = ELFCLASS32

        var error = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(bytes, "elf32.so"));

        Assert.Contains("64-bit little-endian", error.Message);
    }

    [LinuxFact("ELF and glibc's dynamic loader exist only on Linux; the parsing tests above run everywhere")]
    public void TheDynamicLoaderAcceptsThePatchedCopyAndItsCodeRuns()
    {
        // Load the old provider first: its soname then satisfies the fixture's DT_NEEDED, as the system libstdc++
        // satisfies libLibTorchSharp.so's.
        NativeLibrary.Load(OldProvider);
        Assert.False(NativeLibrary.TryLoad(NeedsMarker, out _)); // version `PROV_2.0' not found

        var patched = LibTorchSharpPatcher.Prepare(NeedsMarker, OldProviderVersions, _cache);
        IntPtr handle = NativeLibrary.Load(patched.LibraryPath);

        Assert.Equal(42, CallAnswer(handle));
    }

    private static unsafe int CallAnswer(IntPtr library)
        => ((delegate* unmanaged<int>)NativeLibrary.GetExport(library, "answer"))();

    private static System.Collections.Generic.IReadOnlyCollection<string>? OldProviderVersions(string file)
        => file == "libprovider.so" ? ElfImage.Load(OldProvider).VersionDefinitions : null;

    private static ElfVersionNeed Need(ElfImage image, string version) => image.VersionNeeds.Single(n => n.Version == version);
}
