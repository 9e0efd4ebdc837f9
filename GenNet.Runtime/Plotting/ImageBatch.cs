using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using GenNet.Imaging;
using static TorchSharp.torch;

namespace GenNet.Plotting;

/// <summary>
/// Several images for <c>Plot.ShowImages</c>: a batch tensor (its first dimension indexes the images, like
/// iterating a tensor in Python), or arrays and lists of anything <see cref="ImageData"/> converts from.
/// </summary>
public readonly struct ImageBatch : IReadOnlyList<ImageData>
{
    private readonly ImageData[]? _images;

    /// <summary>The images, in order.</summary>
    public ImageBatch(IEnumerable<ImageData> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        _images = images.ToArray();
    }

    /// <summary>How many images.</summary>
    public int Count => _images?.Length ?? 0;

    /// <summary>The image at <paramref name="index"/>.</summary>
    public ImageData this[int index] => (_images ?? [])[index];

    /// <summary>Each image of a batch tensor: <c>images[i]</c> for every i along the first dimension.</summary>
    /// <exception cref="ArgumentException">The tensor is 0-D or 1-D, so it holds no images.</exception>
    public static ImageBatch FromTensor(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() < 3)
            throw new ArgumentException(
                $"A batch of images is a tensor of 3 or 4 dimensions (N×H×W, N×C×H×W or N×H×W×C); got shape [{string.Join(", ", images.shape)}].",
                nameof(images));
        var result = new ImageData[images.shape[0]];
        for (var i = 0; i < result.Length; i++)
        {
            using var image = images[i];
            result[i] = ImageData.FromTensor(image);
        }
        return new ImageBatch(result);
    }

    /// <summary>See <see cref="FromTensor"/>.</summary>
    public static implicit operator ImageBatch(Tensor images) => FromTensor(images);

    /// <summary>Each tensor is one image.</summary>
    public static implicit operator ImageBatch(Tensor[] images) => new(images.Select(ImageData.FromTensor));

    /// <summary>Each tensor is one image.</summary>
    public static implicit operator ImageBatch(List<Tensor> images) => new(images.Select(ImageData.FromTensor));

    /// <summary>The images, in order.</summary>
    public static implicit operator ImageBatch(ImageData[] images) => new(images);

    /// <summary>The images, in order.</summary>
    public static implicit operator ImageBatch(List<ImageData> images) => new(images);

    /// <summary>Decoded images, in order.</summary>
    public static implicit operator ImageBatch(Image8[] images) => new(images.Select(ImageData.FromImage8));

    /// <summary>Decoded images, in order.</summary>
    public static implicit operator ImageBatch(List<Image8> images) => new(images.Select(ImageData.FromImage8));

    /// <inheritdoc/>
    public IEnumerator<ImageData> GetEnumerator() => ((IEnumerable<ImageData>)(_images ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
