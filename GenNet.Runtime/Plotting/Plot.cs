using System;
using System.Collections.Generic;

namespace GenNet.Plotting;

/// <summary>
/// The lesson's plotting helpers (miniai's <c>show_image</c>, <c>subplots</c>, <c>get_grid</c>, <c>show_images</c>). As
/// there, each passes its remaining options on to the call it wraps; here <see cref="DelegatesAttribute"/> turns those
/// options into real, documented parameters at compile time, so a misspelt one is a compiler error.
/// </summary>
/// <example>
/// <code>
/// Plot.ShowImages(xb[..16], imsize: 1.7, titles: names).SavePng("batch.png");   // 680 × 680 pixels
/// var ax = Plot.ShowImage(xb[0], title: "boot", cmap: "gray");                   // cmap is Axes.ImShow's
/// ax.Figure.SavePng("boot.png");
/// </code>
/// </example>
public static partial class Plot
{
    /// <summary>
    /// Shows an image on <paramref name="ax"/> (a new figure when null) with no ticks, the lesson's <c>show_image</c>:
    /// a tensor is detached and copied to the CPU, CHW with fewer than 5 channels becomes HWC, one channel is dropped.
    /// </summary>
    /// <param name="image">The image: a TorchSharp tensor, an <see cref="GenNet.Imaging.Image8"/>, a 2-D or HWC array.</param>
    /// <param name="ax">The axes to draw on; null makes a figure of <paramref name="figsize"/> with one axes.</param>
    /// <param name="figsize">The new figure's size in inches when <paramref name="ax"/> is null; matplotlib's (6.4, 4.8) when null.</param>
    /// <param name="title">A title above the image; null for none.</param>
    /// <param name="noFrame">Hide the frame too (matplotlib's <c>axis('off')</c>), not only the ticks.</param>
    /// <param name="kwargs">The options passed on to <see cref="Axes.ImShow"/>.</param>
    /// <returns>The axes drawn on; its <see cref="Axes.Figure"/> saves the PNG.</returns>
    [Delegates(typeof(Axes), nameof(Axes.ImShow))]
    public static Axes ShowImage(ImageData image, Axes? ax = null, (double Width, double Height)? figsize = null, string? title = null,
        bool noFrame = true, ShowImageKwargs kwargs = default)
    {
        ax ??= Figure.Create(figsize: figsize).Axes[0];
        kwargs.ImShow(ax, image);
        if (title is not null)
            ax.SetTitle(title);
        ax.HideTicks();
        if (noFrame)
            ax.AxisOff();
        return ax;
    }

    /// <summary>
    /// A figure with a grid of axes whose size follows the grid (the lesson's <c>subplots</c>): <paramref name="imsize"/>
    /// inches per axes unless <paramref name="figsize"/> is given.
    /// </summary>
    /// <param name="nrows">Rows of axes.</param>
    /// <param name="ncols">Columns of axes.</param>
    /// <param name="figsize">Figure size in inches; (ncols · imsize, nrows · imsize) when null.</param>
    /// <param name="imsize">Inches per axes when <paramref name="figsize"/> is null.</param>
    /// <param name="suptitle">The figure's title; null for none.</param>
    /// <param name="kwargs">The options passed on to <see cref="Figure.Create"/>.</param>
    /// <returns>The figure; <c>var (fig, axs) = Plot.Subplots(…)</c> also gives its axes, row by row.</returns>
    [Delegates(typeof(Figure), nameof(Figure.Create), Keep = true)]
    public static Figure Subplots(int nrows = 1, int ncols = 1, (double Width, double Height)? figsize = null, double imsize = 3,
        string? suptitle = null, SubplotsKwargs kwargs = default)
    {
        if (!(imsize > 0) || double.IsInfinity(imsize))
            throw new ArgumentOutOfRangeException(nameof(imsize), imsize, "imsize is a positive, finite number of inches.");
        var figure = kwargs.Create(nrows, ncols, figsize ?? (ncols * imsize, nrows * imsize));
        if (suptitle is not null)
            figure.Suptitle(suptitle);
        return figure;
    }

    /// <summary>
    /// A figure with enough axes for <paramref name="n"/> images (the lesson's <c>get_grid</c>): the axes beyond
    /// <paramref name="n"/> are turned off, and <paramref name="title"/> becomes the figure's title.
    /// </summary>
    /// <param name="n">How many images the grid is for.</param>
    /// <param name="nrows">Rows; 0 to choose from <paramref name="n"/> (see <see cref="GridShape"/>).</param>
    /// <param name="ncols">Columns; 0 to choose from <paramref name="n"/> (see <see cref="GridShape"/>).</param>
    /// <param name="title">The figure's title; null for none.</param>
    /// <param name="weight">The title's weight.</param>
    /// <param name="size">The title's size in points.</param>
    /// <param name="kwargs">The options passed on to <see cref="Subplots(int, int, ValueTuple{double, double}?, double, string?, SubplotsKwargs)"/>.</param>
    /// <returns>The figure; its first <paramref name="n"/> axes, row by row, are for the images.</returns>
    [Delegates(nameof(Subplots), But = new[] { "suptitle" })]
    public static Figure GetGrid(int n, int nrows = 0, int ncols = 0, string? title = null, FontWeight weight = FontWeight.Bold, double size = 14,
        GetGridKwargs kwargs = default)
    {
        var (rows, columns) = GridShape(n, nrows, ncols);
        var figure = kwargs.Subplots(rows, columns, suptitle: null);
        for (var i = n; i < figure.Axes.Count; i++)
            figure.Axes[i].AxisOff();
        if (title is not null)
            figure.Suptitle(title, weight, size);
        return figure;
    }

    /// <summary>Shows images in a grid, each with its title (the lesson's <c>show_images</c>).</summary>
    /// <param name="images">The images: a batch tensor (N×H×W, N×C×H×W, …), or an array or list of images.</param>
    /// <param name="nrows">Rows; 0 to choose (see <see cref="GridShape"/>).</param>
    /// <param name="ncols">Columns; 0 to choose (see <see cref="GridShape"/>).</param>
    /// <param name="titles">A title per image, in order; fewer titles leave the last images untitled.</param>
    /// <param name="kwargs">The options passed on to <see cref="GetGrid(int, int, int, string?, FontWeight, double, GetGridKwargs)"/>.</param>
    /// <returns>The figure, ready to save.</returns>
    /// <exception cref="ArgumentException">No images, more titles than images, or more images than the grid has axes.</exception>
    [Delegates(nameof(GetGrid))]
    public static Figure ShowImages(ImageBatch images, int nrows = 0, int ncols = 0, IReadOnlyList<string>? titles = null, ShowImagesKwargs kwargs = default)
    {
        if (images.Count == 0)
            throw new ArgumentException("ShowImages needs at least one image.", nameof(images));
        if (titles is not null && titles.Count > images.Count)
            throw new ArgumentException($"{titles.Count} titles for {images.Count} images.", nameof(titles));
        var figure = kwargs.GetGrid(images.Count, nrows, ncols);
        if (figure.Axes.Count < images.Count)
            throw new ArgumentException($"A {figure.Rows}×{figure.Columns} grid has no room for {images.Count} images.", nameof(images));
        for (var i = 0; i < images.Count; i++)
            ShowImage(images[i], figure.Axes[i], title: titles is not null && i < titles.Count ? titles[i] : null);
        return figure;
    }

    /// <summary>
    /// The grid <see cref="GetGrid(int, int, int, string?, FontWeight, double, GetGridKwargs)"/> makes for
    /// <paramref name="n"/> images, as the lesson computed it when taught: neither given, <c>nrows = floor(√n)</c> and
    /// <c>ncols = ceil(n / nrows)</c>; one given, the other is <c>ceil(n / given)</c>; both given, as given. Rounding
    /// up means every image gets an axes (a later miniai rounds <c>ncols</c> down, which drops images).
    /// </summary>
    /// <param name="n">How many images (at least 1).</param>
    /// <param name="nrows">Rows, or 0 to choose.</param>
    /// <param name="ncols">Columns, or 0 to choose.</param>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1, or a count is negative.</exception>
    public static (int Rows, int Columns) GridShape(int n, int nrows = 0, int ncols = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nrows);
        ArgumentOutOfRangeException.ThrowIfNegative(ncols);
        if (nrows > 0)
            return (nrows, ncols > 0 ? ncols : CeilDiv(n, nrows));
        if (ncols > 0)
            return (CeilDiv(n, ncols), ncols);
        var rows = (int)Math.Sqrt(n);
        while ((rows + 1) * (rows + 1) <= n) rows++; // guard the float square root at perfect squares
        while (rows * rows > n) rows--;
        return (rows, CeilDiv(n, rows));
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
