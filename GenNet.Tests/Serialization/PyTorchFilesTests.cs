using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using GenNet.Serialization;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Serialization;

/// <summary>The zip + pickle state_dict format of torch.save: round trips and refusals (the Python side is in CrossLanguageTests).</summary>
public sealed class PyTorchFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-pt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(SafeTensorsTests.DTypes), MemberType = typeof(SafeTensorsTests))]
    public void EveryDTypeAndShapeClassRoundTrips(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["scalar"] = SafeTensorsTests.Sample(dtype, Array.Empty<long>(), 1),
            ["empty"] = SafeTensorsTests.Sample(dtype, new long[] { 0 }, 2),
            ["empty_2d"] = SafeTensorsTests.Sample(dtype, new long[] { 3, 0 }, 3),
            ["features.0.weight"] = SafeTensorsTests.Sample(dtype, new long[] { 2, 3, 4 }, 5),
            ["transposed"] = SafeTensorsTests.Sample(dtype, new long[] { 4, 5 }, 6).t(),
        };
        var path = Path.Combine(_folder, $"{dtype}.pt");
        PyTorchFiles.Save(path, tensors);
        var loaded = PyTorchFiles.Load(path);
        Assert.Equal(tensors.Keys, loaded.Keys); // order kept, as an OrderedDict
        foreach (var (name, expected) in tensors)
        {
            Assert.Equal(dtype, loaded[name].dtype);
            Assert.Equal(expected.shape, loaded[name].shape);
            Assert.True(SafeTensorsTests.Same(expected, loaded[name]), name);
        }
    }

    private string Archive(string name, byte[] pickle, params (string Name, byte[] Data)[] storages)
    {
        var path = Path.Combine(_folder, name + ".pt");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string entryName, byte[] data)
        {
            using var s = zip.CreateEntry(entryName, CompressionLevel.NoCompression).Open();
            s.Write(data);
        }
        Add("archive/data.pkl", pickle);
        foreach (var (n, d) in storages)
            Add("archive/data/" + n, d);
        Add("archive/version", "3\n"u8.ToArray());
        return path;
    }

    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void ArbitraryGlobalsAreRefusedWithoutRunningThem()
    {
        // pickle.dumps(os.system, protocol=2) followed by a call: the classic exploit shape.
        var exploit = Ascii("\u0080\u0002cposix\nsystem\nX\u0005\u0000\u0000\u0000touch\u0085R.");
        var path = Archive("exploit", exploit);
        var error = Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(path));
        Assert.Contains("needs the Python global 'posix.system', which is not allowed", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void StoragesThatDoNotMatchTheirEntriesAreRefusedBeforeAllocation()
    {
        using var scope = NewDisposeScope();
        var good = Path.Combine(_folder, "good.pt");
        PyTorchFiles.Save(good, new Dictionary<string, Tensor> { ["w"] = ones(4) });
        byte[] pickle;
        using (var zip = ZipFile.OpenRead(good))
        using (var s = zip.GetEntry("archive/data.pkl")!.Open())
        using (var m = new MemoryStream())
        {
            s.CopyTo(m);
            pickle = m.ToArray();
        }
        // The numel field (BININT 4) claims 2^30 elements: 4 GiB for a 16-byte entry.
        var at = pickle.AsSpan().IndexOf(Ascii("cpu")) + 3;
        Assert.Equal((byte)'J', pickle[at]);
        var huge = (byte[])pickle.Clone();
        BitConverter.GetBytes(1 << 30).CopyTo(huge, at + 1);
        var path = Archive("huge", huge, ("0", new byte[16]));
        Assert.Contains("storage '0' claims 1073741824 elements of 4 bytes but its entry has 16 bytes", Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(path)).Message);

        var missing = Archive("missing-storage", pickle);
        Assert.Contains("storage '0' has no entry 'archive/data/0'", Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(missing)).Message);

        var truncated = Archive("truncated", pickle[..^5], ("0", new byte[16]));
        Assert.Contains("the pickle ends before STOP", Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(truncated)).Message);
    }

    [Fact]
    public void NonArchivesAndNonStateDictsAreNamed()
    {
        var text = Path.Combine(_folder, "text.pt");
        File.WriteAllText(text, "hello");
        Assert.Contains("not a zip archive", Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(text)).Message);

        // {"epoch": 3}: a dictionary, but not of tensors.
        var path = Archive("dict", Ascii("\u0080\u0002}X\u0005\u0000\u0000\u0000epochK\u0003s."));
        Assert.Contains("entry 'epoch' is a int, not a tensor", Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(path)).Message);
        Assert.Contains("has no top-level key 'model'", Assert.Throws<InvalidDataException>(() => PyTorchFiles.Load(path, key: "model")).Message);
    }
}
