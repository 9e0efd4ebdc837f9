using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// PyTorch's <c>default_collate</c>: turns a list of items into one batch, recursing through tuples, dictionaries and
/// sequences and collating the leaves along a new first dimension.
/// </summary>
/// <remarks>
/// <para>Leaves and what they become (PyTorch's <c>default_collate_fn_map</c>; add your own with
/// <see cref="RegisterLeaf{TLeaf}"/>):</para>
/// <list type="bullet">
/// <item><see cref="Tensor"/>s of equal shape and dtype → <c>torch.stack</c>.</item>
/// <item>Managed arrays and memory (<c>T[]</c>, <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/>,
/// <see cref="ArraySegment{T}"/>, <c>T[,]</c>, <c>ReadOnlyMemory2D&lt;T&gt;</c>, <c>Memory2D&lt;T&gt;</c>) of a numeric
/// type → one tensor <c>[batch, …item shape]</c>, written straight into a single preallocated (optionally pinned) buffer:
/// no native tensor is created per item. This is the fast path.</item>
/// <item>Numbers → a 1-D tensor. dtypes follow the C# type: <c>float</c> → float32, <c>double</c> → float64,
/// <c>long</c> → int64, <c>byte</c> → uint8, <c>bool</c> → bool, … with one exception: <c>int</c> scalars become int64
/// like Python ints (class labels for <c>cross_entropy</c>). Where PyTorch differs: a Python float is a double and
/// becomes float64, whereas a C# <c>float</c> stays float32; arrays keep their element type (<c>int[]</c> → int32).</item>
/// <item>Strings → <c>string[]</c> (not stacked).</item>
/// </list>
/// <para>Containers: a tuple (any <see cref="ITuple"/>) or a sequence of equal length → <c>object[]</c> with one collated
/// entry per position; a dictionary with string keys → <c>Dictionary&lt;string, object&gt;</c> in the first item's key
/// order. Items that do not fit together raise an <see cref="ArgumentException"/> naming the key or position, the item
/// and the shapes.</para>
/// <para>Typed batches: <see cref="For{TItem, TBatch}"/> converts the result to <see cref="Tensor"/>, <c>(Tensor, Tensor)</c>,
/// <c>(Tensor, Tensor, Tensor)</c>, <c>Tensor[]</c> or <c>Dictionary&lt;string, Tensor&gt;</c>.</para>
/// <para>Common item types (a pair <c>(x, y)</c>, a single leaf) are collated without boxing by plans built once per
/// type; other shapes take the general recursion. Both look their leaves up in the same registry.</para>
/// </remarks>
public static class DefaultCollate
{
    private static readonly Type[] SupportedBatchTypes =
    [
        typeof(object), typeof(Tensor), typeof((Tensor, Tensor)), typeof((Tensor, Tensor, Tensor)), typeof(Tensor[]),
        typeof(object[]), typeof(Dictionary<string, Tensor>), typeof(Dictionary<string, object>), typeof(string[]),
    ];

    /// <summary>Collates <paramref name="items"/> into one batch (see the type's remarks for the rules).</summary>
    /// <exception cref="ArgumentException">The batch is empty, or items do not fit together.</exception>
    public static object Collate<TItem>(IReadOnlyList<TItem> items) => Collate(items, pinMemory: false);

    /// <summary>
    /// Converts one item without adding a batch dimension (PyTorch's <c>default_convert</c>, used when automatic batching
    /// is off): arrays and numbers become tensors, containers are rebuilt.
    /// </summary>
    public static object Convert(object item)
    {
        var batch = Collate(new[] { item }, pinMemory: false);
        return BatchTensors.Map(batch, t =>
        {
            var single = t[0];
            t.Dispose();
            return single;
        });
    }

    /// <summary>
    /// The default collate as a typed function for a loader. <typeparamref name="TBatch"/> must be <see cref="object"/>,
    /// <see cref="Tensor"/>, <c>(Tensor, Tensor)</c>, <c>(Tensor, Tensor, Tensor)</c>, <c>Tensor[]</c>, <c>object[]</c>,
    /// <c>Dictionary&lt;string, Tensor&gt;</c>, <c>Dictionary&lt;string, object&gt;</c> or <c>string[]</c>.
    /// </summary>
    /// <param name="pinMemory">Allocate the buffers of managed leaves in pinned (page-locked) memory; needs CUDA.</param>
    /// <exception cref="ArgumentException"><typeparamref name="TBatch"/> is not one of the supported types.</exception>
    public static Func<IReadOnlyList<TItem>, TBatch> For<TItem, TBatch>(bool pinMemory = false)
    {
        if (Array.IndexOf(SupportedBatchTypes, typeof(TBatch)) < 0)
            throw new ArgumentException(
                $"The default collate cannot produce batches of type {typeof(TBatch)}; use one of " +
                string.Join(", ", SupportedBatchTypes.Select(t => t.Name)) + ", or pass your own collate function.",
                nameof(TBatch));
        return items => ToBatch<TBatch>(Collate(items, pinMemory));
    }

    /// <summary>
    /// Adds a leaf type to the default collate (PyTorch: an entry of <c>default_collate_fn_map</c>): a column of
    /// <typeparamref name="TLeaf"/> values, one per item, becomes the tensor <paramref name="collate"/> returns, wherever
    /// such values appear (alone, in tuples, in dictionaries, nested). A registration for the same type replaces the
    /// previous one; exact types win over base types and interfaces, and registered leaves win over the built-in ones.
    /// </summary>
    /// <param name="collate">Turns the column into a batch tensor whose first dimension is the number of values. The
    /// loader disposes nothing it returns except through the batch; pinning, if asked for, happens afterwards.</param>
    public static void RegisterLeaf<TLeaf>(Func<IReadOnlyList<TLeaf>, Tensor> collate)
    {
        ArgumentNullException.ThrowIfNull(collate);
        CollateLeaves.Register(new UserLeaf<TLeaf>(collate));
    }

    /// <summary>Removes the leaf registered for <typeparamref name="TLeaf"/>; returns whether there was one.</summary>
    public static bool UnregisterLeaf<TLeaf>() => CollateLeaves.Unregister(typeof(TLeaf));

    internal static Func<IReadOnlyList<TItem>, TBatch> ForSingle<TItem, TBatch>()
    {
        For<TItem, TBatch>();
        return items => ToBatch<TBatch>(Convert(items[0]!));
    }

    internal static object Collate<TItem>(IReadOnlyList<TItem> items, bool pinMemory)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
            throw new ArgumentException("Cannot collate an empty batch.", nameof(items));
        if (TypedCollate.For<TItem>() is { } typed)
            return typed(items, pinMemory);
        var column = new object?[items.Count];
        for (var i = 0; i < column.Length; i++)
            column[i] = items[i];
        return CollateColumn(column, "item", pinMemory);
    }

    /// <summary>The general recursion (PyTorch's <c>collate</c>): a leaf from the registry, else a container collated
    /// position by position or key by key.</summary>
    internal static object CollateColumn(object?[] column, string path, bool pinMemory)
    {
        var first = column[0] ?? throw new ArgumentException($"Cannot collate {path}: item 0 is null.");
        for (var i = 1; i < column.Length; i++)
        {
            if (column[i] is null)
                throw new ArgumentException($"Cannot collate {path}: item {i} is null.");
        }
        var type = first.GetType();
        if (CollateLeaves.Find(type) is { } leaf)
            return leaf.CollateBoxed(column, path, pinMemory);
        switch (first)
        {
            case ITuple tuple:
                return CollateTransposed(column, path, pinMemory, tuple.Length, static x => x is ITuple t ? t.Length : -1, static (x, i) => ((ITuple)x)[i], "a tuple");
            case IDictionary dictionary:
                return CollateDictionary(column, path, pinMemory, dictionary);
            case IList list:
                return CollateTransposed(column, path, pinMemory, list.Count, static x => x is IList l ? l.Count : -1, static (x, i) => ((IList)x)[i], "a list");
        }
        throw new ArgumentException(
            $"Cannot collate {path}: items of type {type} are not supported (tensors, numbers, numeric arrays or memory, " +
            "strings, tuples, lists, dictionaries and leaves registered with DefaultCollate.RegisterLeaf are).");
    }

    private static object[] CollateTransposed(object?[] column, string path, bool pinMemory, int arity,
        Func<object, int> length, Func<object, int, object?> get, string kind)
    {
        for (var i = 0; i < column.Length; i++)
        {
            var itemLength = length(column[i]!);
            if (itemLength < 0)
                throw LeafCollator.Mismatch(path, i, column[i]!, kind, column[0]!);
            if (itemLength != arity)
                throw new ArgumentException($"Cannot collate {path}: item {i} has {itemLength} elements but item 0 has {arity}.");
        }
        var result = new object[arity];
        var part = new object?[column.Length];
        for (var p = 0; p < arity; p++)
        {
            for (var i = 0; i < column.Length; i++)
                part[i] = get(column[i]!, p);
            result[p] = CollateColumn(part, $"{path}[{p}]", pinMemory);
        }
        return result;
    }

    private static Dictionary<string, object> CollateDictionary(object?[] column, string path, bool pinMemory, IDictionary first)
    {
        var keys = new List<string>(first.Count);
        foreach (var key in first.Keys)
            keys.Add(key as string ?? throw new ArgumentException($"Cannot collate {path}: dictionary keys must be strings, found {key.GetType()}."));
        var result = new Dictionary<string, object>(keys.Count);
        var part = new object?[column.Length];
        foreach (var key in keys)
        {
            for (var i = 0; i < column.Length; i++)
            {
                if (column[i] is not IDictionary d)
                    throw LeafCollator.Mismatch(path, i, column[i]!, "a dictionary", column[0]!);
                if (d.Count != keys.Count || !d.Contains(key))
                    throw new ArgumentException(
                        $"Cannot collate {path}: item {i} has the keys [{string.Join(", ", d.Keys.Cast<object>())}] but item 0 has [{string.Join(", ", keys)}]" +
                        (d.Contains(key) ? "." : $" (missing '{key}')."));
                part[i] = d[key];
            }
            result.Add(key, CollateColumn(part, $"{path}['{key}']", pinMemory));
        }
        return result;
    }

    private static TBatch ToBatch<TBatch>(object batch)
    {
        if (batch is TBatch typed)
            return typed;
        object? converted = typeof(TBatch) switch
        {
            var t when t == typeof((Tensor, Tensor)) && batch is object[] { Length: 2 } a && a.All(x => x is Tensor) =>
                ((Tensor)a[0], (Tensor)a[1]),
            var t when t == typeof((Tensor, Tensor, Tensor)) && batch is object[] { Length: 3 } a && a.All(x => x is Tensor) =>
                ((Tensor)a[0], (Tensor)a[1], (Tensor)a[2]),
            var t when t == typeof(Tensor[]) && batch is object[] a && a.All(x => x is Tensor) =>
                a.Cast<Tensor>().ToArray(),
            var t when t == typeof(Dictionary<string, Tensor>) && batch is Dictionary<string, object> d && d.Values.All(x => x is Tensor) =>
                d.ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value),
            _ => null,
        };
        return converted is TBatch result
            ? result
            : throw new ArgumentException(
                $"The default collate produced {Describe(batch)}, which is not a {typeof(TBatch)}; change the loader's batch type " +
                "or pass your own collate function.");
    }

    private static string Describe(object batch) => batch switch
    {
        Tensor t => "a tensor " + TensorPairDataset.Shape(t),
        object[] a => $"a list of {a.Length} ({string.Join(", ", a.Select(x => x is null ? "null" : x is Tensor ? "Tensor" : x.GetType().Name))})",
        _ => "a " + batch.GetType().Name,
    };
}
