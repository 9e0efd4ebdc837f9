using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using GenNet.Serialization;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Serialization;

/// <summary>safetensors round trips for every dtype and shape class, and one clear error per kind of corrupt file.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gennet-st-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static IEnumerable<object[]> DTypes() => new[]
    {
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64,
        ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    }.Select(t => new object[] { t });

    internal static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    internal static Tensor Sample(ScalarType dtype, long[] shape, int seed)
    {
        var generator = new Generator((ulong)seed);
        var values = randint(0, 100, shape, generator: generator) - 50;
        return dtype == ScalarType.Bool ? values.gt(0) : dtype == ScalarType.Byte ? (values + 50).to(dtype) : (values * 0.37).to(dtype);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void EveryDTypeAndShapeClassRoundTrips(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["scalar"] = Sample(dtype, Array.Empty<long>(), 1),
            ["empty"] = Sample(dtype, new long[] { 0 }, 2),
            ["empty_2d"] = Sample(dtype, new long[] { 3, 0 }, 3),
            ["vector"] = Sample(dtype, new long[] { 7 }, 4),
            ["block.weight"] = Sample(dtype, new long[] { 2, 3, 4 }, 5),
            ["transposed"] = Sample(dtype, new long[] { 4, 5 }, 6).t(), // non-contiguous
            ["strided"] = Sample(dtype, new long[] { 10 }, 7)[TensorIndex.Slice(1, null, 3)],
        };
        Assert.False(tensors["transposed"].is_contiguous());
        var path = Path.Combine(_folder, $"{dtype}.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });

        var loaded = SafeTensors.Load(path, out var metadata);
        Assert.Equal(tensors.Keys.OrderBy(k => k), loaded.Keys.OrderBy(k => k));
        foreach (var (name, expected) in tensors)
        {
            Assert.Equal(dtype, loaded[name].dtype);
            Assert.Equal(expected.shape, loaded[name].shape);
            Assert.True(SafeTensorsTests.Same(expected, loaded[name]), name);
        }
        Assert.Equal("ünïcode", metadata["note"]);
        Assert.Equal(0, SafeTensors.ReadHeader(path).DataStart % 8);
    }

    [Fact]
    public void TheFileIsTheReferenceLayout()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_folder, "layout.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["b"] = tensor(new short[] { 1, 2 }), ["a"] = tensor(new float[] { 1.5f, -2f }) });
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd(' ');
        // Larger elements first, so each tensor is aligned to its element size.
        Assert.Equal("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[8,12]}}", header);
        Assert.Equal(new byte[] { 0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0, 1, 0, 2, 0 }, bytes[(8 + headerLength)..]);
    }

    private string Raw(string name, string header, int dataBytes, long? claimedLength = null)
    {
        var path = Path.Combine(_folder, name + ".safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)(claimedLength ?? json.Length)));
        stream.Write(json);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    public static IEnumerable<object[]> CorruptFiles() => new[]
    {
        new object[] { "length-past-end", "{}", 0, 1_000_000L, "runs past the end of the file" },
        new object[] { "bad-json", "{\"a\": {\"dtype\": \"F32\",", 0, null!, "not well-formed JSON" },
        new object[] { "not-object", "[1, 2]", 0, null!, "not an object" },
        new object[] { "overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, null!, "overlaps the previous tensor" },
        new object[] { "out-of-bounds", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, null!, "ends at byte 16 but the data section has only 8 bytes" },
        new object[] { "gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, null!, "gap of 4 bytes before tensor 'a'" },
        new object[] { "trailing-bytes", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, null!, "cover 4 bytes but the data section has 12" },
        new object[] { "byte-count", "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, null!, "needs 16 bytes but its data_offsets span 8" },
        new object[] { "duplicate", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2, null!, "'a' appears twice" },
        new object[] { "huge-shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4000000000,4000000000,4000000000],\"data_offsets\":[0,8]}}", 8, null!, "whose size overflows" },
        new object[] { "huge-but-fits-long", "{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,8]}}", 8, null!, "needs 40000000000 bytes but its data_offsets span 8" },
        new object[] { "unknown-dtype", "{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, null!, "dtype 'C64', which is unknown or unsupported" },
        new object[] { "negative-dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, null!, "not a non-negative integer" },
        new object[] { "reversed-offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, null!, "expected [begin, end]" },
        new object[] { "missing-field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, null!, "lacks 'data_offsets'" },
        new object[] { "bad-metadata", "{\"__metadata__\":{\"epoch\":3}}", 0, null!, "__metadata__ entry 'epoch' is not a string" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void EachCorruptFileGetsItsOwnClearError(string name, string header, int dataBytes, long? claimedLength, string problem)
    {
        var path = Raw(name, header, dataBytes, claimedLength);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains($"'{path}' is not a valid safetensors file", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void ShortAndMissingFilesAreNamed()
    {
        var path = Path.Combine(_folder, "short.safetensors");
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Contains("fewer than the 8-byte header length", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
        var missing = Path.Combine(_folder, "none.safetensors");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(missing)).Message);
    }

    [Fact]
    public void UnsupportedDTypesFailBeforeAnyFileIsWritten()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_folder, "complex.safetensors");
        var error = Assert.Throws<NotSupportedException>(() => SafeTensors.Save(path, new Dictionary<string, Tensor> { ["z"] = zeros(2, dtype: ScalarType.ComplexFloat32) }));
        Assert.Contains("'z'", error.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
