using System;
using GenNet.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Plotting;

/// <summary>
/// An image ready to draw: height × width × channels values on the CPU, either bytes (0–255) or floats (RGB in
/// [0, 1]; one channel any range, scaled by the colormap's value range). Converts implicitly from a TorchSharp
/// <see cref="Tensor"/>, a decoded <see cref="Image8"/> and 2-D or 3-D (HWC) byte and float arrays, so
/// <see cref="Plot.ShowImage(ImageData, Axes?, ValueTuple{double, double}?, string?, bool, Plot.ShowImageKwargs)"/>
/// takes any of them.
/// </summary>
/// <remarks>The values are copied when the image is made, so a tensor can be disposed or changed afterwards.</remarks>
public readonly struct ImageData
{
    private readonly byte[]? _bytes;
    private readonly float[]? _floats;

    private ImageData(byte[]? bytes, float[]? floats, int height, int width, int channels)
    {
        _bytes = bytes;
        _floats = floats;
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>1 (mapped through a colormap), 3 (RGB) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>Whether the values are bytes (0–255) rather than floats.</summary>
    public bool IsBytes => _bytes is not null;

    /// <summary>False for <c>default(ImageData)</c>, which holds no image.</summary>
    public bool HasValue => _bytes is not null || _floats is not null;

    internal byte[]? Bytes => _bytes;
    internal float[]? Floats => _floats;

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>, <paramref name="channel"/>) as a double.</summary>
    public double this[int row, int column, int channel = 0]
    {
        get
        {
            if ((uint)row >= (uint)Height || (uint)column >= (uint)Width || (uint)channel >= (uint)Channels)
                throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}, {channel}) is outside {Height}×{Width}×{Channels}.");
            var i = (row * Width + column) * Channels + channel;
            return _bytes is not null ? _bytes[i] : _floats![i];
        }
    }

    /// <summary>
    /// As the lesson's <c>show_image</c> prepares a tensor: detached and copied to the CPU; 3-D with fewer than 5
    /// leading channels (CHW) becomes HWC; a single channel is dropped; <c>uint8</c> stays bytes, every other dtype
    /// becomes float.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not 2-D (HW) or 3-D (CHW/HWC with 1, 3 or 4 channels), or is empty.</exception>
    public static ImageData FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var t = tensor.detach().cpu();
        if (t.dim() == 3 && t.shape[0] < 5)
            t = t.permute(1, 2, 0);
        if (t.dim() == 3 && t.shape[2] == 1)
            t = t.squeeze(2);
        var shape = t.shape;
        if (shape.Length is not (2 or 3) || (shape.Length == 3 && shape[2] is not (3 or 4)))
            throw new ArgumentException(
                $"An image tensor is HW, CHW or HWC with 1, 3 or 4 channels; got shape [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        if (shape[0] == 0 || shape[1] == 0)
            throw new ArgumentException($"The image tensor is empty (shape [{string.Join(", ", tensor.shape)}]).", nameof(tensor));
        var (height, width, channels) = ((int)shape[0], (int)shape[1], shape.Length == 3 ? (int)shape[2] : 1);
        t = t.contiguous();
        if (t.dtype == ScalarType.Byte)
            return new ImageData(t.data<byte>().ToArray(), null, height, width, channels);
        return new ImageData(null, t.to_type(ScalarType.Float32).data<float>().ToArray(), height, width, channels);
    }

    /// <summary>An image from bytes, row-major with channels interleaved (HWC).</summary>
    /// <exception cref="ArgumentException">The sizes do not match the length, or channels is not 1, 3 or 4.</exception>
    public static ImageData FromBytes(byte[] pixels, int height, int width, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Check(pixels.Length, height, width, channels);
        return new ImageData((byte[])pixels.Clone(), null, height, width, channels);
    }

    /// <summary>An image from floats, row-major with channels interleaved (HWC).</summary>
    /// <exception cref="ArgumentException">The sizes do not match the length, or channels is not 1, 3 or 4.</exception>
    public static ImageData FromFloats(float[] pixels, int height, int width, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Check(pixels.Length, height, width, channels);
        return new ImageData(null, (float[])pixels.Clone(), height, width, channels);
    }

    /// <summary>A decoded image; grey + alpha becomes RGBA.</summary>
    public static ImageData FromImage8(Image8 image)
    {
        if (image.Pixels is null)
            throw new ArgumentException("The Image8 has no pixels.", nameof(image));
        Check(image.Pixels.Length, image.Height, image.Width, image.Channels == 2 ? 1 : image.Channels, image.Channels);
        if (image.Channels != 2)
            return new ImageData((byte[])image.Pixels.Clone(), null, image.Height, image.Width, image.Channels);
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 2, j += 4)
        {
            rgba[j] = rgba[j + 1] = rgba[j + 2] = image.Pixels[i];
            rgba[j + 3] = image.Pixels[i + 1];
        }
        return new ImageData(rgba, null, image.Height, image.Width, 4);
    }

    private static void Check(long length, int height, int width, int channels, int storedChannels = 0)
    {
        if (height < 1 || width < 1)
            throw new ArgumentException($"An image needs at least one row and one column; got {height}×{width}.");
        if (channels is not (1 or 3 or 4))
            throw new ArgumentException($"An image has 1 (colormapped), 3 (RGB) or 4 (RGBA) channels; got {channels}.");
        var per = storedChannels == 0 ? channels : storedChannels;
        if (length != (long)height * width * per)
            throw new ArgumentException($"{height}×{width}×{per} needs {(long)height * width * per} values; got {length}.");
    }

    private static ImageData From2D<T>(T[,] pixels, Func<T[], int, int, int, ImageData> make)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var flat = new T[pixels.Length];
        Buffer.BlockCopy(pixels, 0, flat, 0, Buffer.ByteLength(pixels));
        return make(flat, pixels.GetLength(0), pixels.GetLength(1), 1);
    }

    private static ImageData From3D<T>(T[,,] pixels, Func<T[], int, int, int, ImageData> make)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var flat = new T[pixels.Length];
        Buffer.BlockCopy(pixels, 0, flat, 0, Buffer.ByteLength(pixels));
        return make(flat, pixels.GetLength(0), pixels.GetLength(1), pixels.GetLength(2));
    }

    /// <summary>See <see cref="FromTensor"/>.</summary>
    public static implicit operator ImageData(Tensor tensor) => FromTensor(tensor);

    /// <summary>See <see cref="FromImage8"/>.</summary>
    public static implicit operator ImageData(Image8 image) => FromImage8(image);

    /// <summary>A one-channel image, [row, column].</summary>
    public static implicit operator ImageData(byte[,] pixels) => From2D(pixels, FromBytes);

    /// <summary>A one-channel image, [row, column].</summary>
    public static implicit operator ImageData(float[,] pixels) => From2D(pixels, FromFloats);

    /// <summary>An HWC image, [row, column, channel].</summary>
    public static implicit operator ImageData(byte[,,] pixels) => From3D(pixels, FromBytes);

    /// <summary>An HWC image, [row, column, channel].</summary>
    public static implicit operator ImageData(float[,,] pixels) => From3D(pixels, FromFloats);
}
