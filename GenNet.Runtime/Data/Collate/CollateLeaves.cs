using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using CommunityToolkit.HighPerformance;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// The default collate's leaves (PyTorch's <c>default_collate_fn_map</c>): for a value type, how a column of such values
/// (one per item) becomes one batch value. The typed, boxing-free plans and the general, boxed recursion both look leaves
/// up here, so a leaf is written once and a registered one works on both paths.
/// </summary>
internal static class CollateLeaves
{
    private static readonly ConcurrentDictionary<Type, LeafCollator?> Resolved = new();
    private static readonly List<LeafCollator> Registered = new();
    private static int _version;

    /// <summary>Changes whenever a leaf is registered or removed, so cached typed plans know to look again.</summary>
    public static int Version => Volatile.Read(ref _version);

    /// <summary>The leaf for values of <paramref name="type"/>, or <see langword="null"/> when they are containers
    /// (tuples, dictionaries, lists) or unsupported.</summary>
    public static LeafCollator? Find(Type type) => Resolved.GetOrAdd(type, Resolve);

    public static void Register(LeafCollator leaf)
    {
        lock (Registered)
        {
            Registered.RemoveAll(l => l.LeafType == leaf.LeafType);
            Registered.Insert(0, leaf);
            Changed();
        }
    }

    public static bool Unregister(Type type)
    {
        lock (Registered)
        {
            var removed = Registered.RemoveAll(l => l.LeafType == type) > 0;
            Changed();
            return removed;
        }
    }

    private static void Changed()
    {
        Resolved.Clear();
        Interlocked.Increment(ref _version);
    }

    /// <summary>As <c>collate</c> does: an exact registration first, then a registered base type or interface (latest
    /// registration first), then the built-in leaves.</summary>
    private static LeafCollator? Resolve(Type type)
    {
        lock (Registered)
        {
            foreach (var leaf in Registered)
                if (leaf.LeafType == type)
                    return leaf;
            foreach (var leaf in Registered)
                if (leaf.LeafType.IsAssignableFrom(type))
                    return leaf;
        }
        if (typeof(Tensor).IsAssignableFrom(type))
            return TensorLeaf.Instance;
        if (type == typeof(string))
            return StringLeaf.Instance;
        if (Numbers.ScalarTypeOf(type) is not null)
            return (LeafCollator)Activator.CreateInstance(typeof(ScalarLeaf<>).MakeGenericType(type))!;
        if (Rows.ElementType(type) is { } element)
            return (LeafCollator)Activator.CreateInstance(typeof(RowLeaf<>).MakeGenericType(element))!;
        return null;
    }
}

/// <summary>Collates one column of leaf values, typed (values read through an accessor, nothing boxed) or boxed.</summary>
internal abstract class LeafCollator
{
    /// <summary>The type of value the leaf collates (for rows: one container type of the element type).</summary>
    public abstract Type LeafType { get; }

    /// <summary>Collates a column of boxed values (all non-null; the first decided the leaf).</summary>
    public abstract object CollateBoxed(object?[] column, string path, bool pinMemory);

    /// <summary>A typed collator for values of <typeparamref name="TField"/> read from items with an accessor, or
    /// <see langword="null"/> when this leaf has no typed form for that field type.</summary>
    public abstract Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>? Typed<TItem, TField>();

    /// <summary>The error for a value that does not fit the column's first value.</summary>
    public static ArgumentException Mismatch(string path, int index, object item, string expected, object first) =>
        new($"Cannot collate {path}: item {index} is a {item.GetType().Name} but item 0 is {expected} ({first.GetType().Name}).");
}

/// <summary>Tensors: <c>torch.stack</c> along a new first dimension (equal shapes and dtypes).</summary>
internal sealed class TensorLeaf : LeafCollator
{
    public static readonly TensorLeaf Instance = new();

    public override Type LeafType => typeof(Tensor);

    public override object CollateBoxed(object?[] column, string path, bool pinMemory)
    {
        var tensors = new Tensor[column.Length];
        for (var i = 0; i < column.Length; i++)
            tensors[i] = column[i] as Tensor ?? throw Mismatch(path, i, column[i]!, "a tensor", column[0]!);
        return Stack(tensors, path);
    }

    public override Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>? Typed<TItem, TField>() =>
        typeof(Tensor).IsAssignableFrom(typeof(TField))
            ? static (items, get, path, _) =>
            {
                var tensors = new Tensor[items.Count];
                for (var i = 0; i < tensors.Length; i++)
                    tensors[i] = (Tensor)(object)get(items[i])! ?? throw new ArgumentException($"Cannot collate {path}: item {i} is null.");
                return Stack(tensors, path);
            }
            : null;

    private static Tensor Stack(Tensor[] tensors, string path)
    {
        var first = tensors[0];
        for (var i = 1; i < tensors.Length; i++)
        {
            var t = tensors[i];
            if (!t.shape.AsSpan().SequenceEqual(first.shape) || t.dtype != first.dtype)
                throw new ArgumentException(
                    $"Cannot collate {path}: item {i} is a {t.dtype} tensor of shape {TensorPairDataset.Shape(t)} but item 0 is a " +
                    $"{first.dtype} tensor of shape {TensorPairDataset.Shape(first)}; stacking needs equal shapes and dtypes.");
        }
        return stack(tensors);
    }
}

/// <summary>Strings: kept as a <c>string[]</c> (not stacked), as PyTorch keeps a list.</summary>
internal sealed class StringLeaf : LeafCollator
{
    public static readonly StringLeaf Instance = new();

    public override Type LeafType => typeof(string);

    public override object CollateBoxed(object?[] column, string path, bool pinMemory)
    {
        var strings = new string[column.Length];
        for (var i = 0; i < strings.Length; i++)
            strings[i] = column[i] as string ?? throw Mismatch(path, i, column[i]!, "a string", column[0]!);
        return strings;
    }

    public override Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>? Typed<TItem, TField>() => null;
}

/// <summary>Numbers: a 1-D tensor of the C# type's dtype, except <c>int</c>, which becomes int64 like a Python int.</summary>
internal sealed class ScalarLeaf<T> : LeafCollator where T : unmanaged
{
    public override Type LeafType => typeof(T);

    public override object CollateBoxed(object?[] column, string path, bool pinMemory)
    {
        var expected = typeof(T) == typeof(int) ? "an Int32" : "a " + typeof(T).Name;
        for (var i = 0; i < column.Length; i++)
        {
            if (column[i] is not T)
                throw Mismatch(path, i, column[i]!, expected, column[0]!);
        }
        return Write(column, static x => (T)x!, pinMemory);
    }

    public override Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>? Typed<TItem, TField>() =>
        typeof(TField) == typeof(T) ? static (items, get, _, pin) => Write(items, get, pin) : null;

    private static Tensor Write<TItem, TField>(IReadOnlyList<TItem> items, Func<TItem, TField> get, bool pinMemory)
    {
        if (typeof(T) == typeof(int))
        {
            var labels = BatchPlacement.Empty<long>([items.Count], ScalarType.Int64, pinMemory, out var wide);
            for (var i = 0; i < wide.Length; i++)
            {
                var value = get(items[i]);
                wide[i] = System.Runtime.CompilerServices.Unsafe.As<TField, int>(ref value);
            }
            return labels;
        }
        var batch = BatchPlacement.Empty<T>([items.Count], Numbers.ScalarTypeOf(typeof(T))!.Value, pinMemory, out var values);
        for (var i = 0; i < values.Length; i++)
        {
            var value = get(items[i]);
            values[i] = System.Runtime.CompilerServices.Unsafe.As<TField, T>(ref value);
        }
        return batch;
    }
}

/// <summary>
/// Managed rows of numbers (<c>T[]</c>, <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/>,
/// <see cref="ArraySegment{T}"/>, <c>T[,]</c>, <c>ReadOnlyMemory2D&lt;T&gt;</c>, <c>Memory2D&lt;T&gt;</c>): one tensor
/// <c>[batch, …row shape]</c> written straight into a single preallocated buffer, no native tensor per item.
/// </summary>
internal sealed class RowLeaf<T> : LeafCollator where T : unmanaged
{
    public override Type LeafType => typeof(T[]);

    public override object CollateBoxed(object?[] column, string path, bool pinMemory) => Write(column, static x => x, path, pinMemory);

    public override Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>? Typed<TItem, TField>() =>
        Rows.ElementType(typeof(TField)) == typeof(T) ? static (items, get, path, pin) => Write(items, get, path, pin) : null;

    private static Tensor Write<TItem, TRow>(IReadOnlyList<TItem> items, Func<TItem, TRow> get, string path, bool pinMemory)
    {
        var first = get(items[0]);
        if (first is null)
            throw new ArgumentException($"Cannot collate {path}: item 0 is null.");
        var shape = Rows.ShapeOf<T, TRow>(first);
        long[] dims = shape.Rank == 1 ? [items.Count, shape.D0] : [items.Count, shape.D0, shape.D1];
        var batch = BatchPlacement.Empty<T>(dims, Numbers.ScalarTypeOf(typeof(T))!.Value, pinMemory, out var buffer);
        var rows = buffer.AsSpan2D(items.Count, shape.D0 * shape.D1);
        for (var i = 0; i < items.Count; i++)
        {
            var row = get(items[i]);
            if (row is null)
            {
                batch.Dispose();
                throw new ArgumentException($"Cannot collate {path}: item {i} is null.");
            }
            // A boxed column may mix containers (T[] next to ReadOnlyMemory<T>): only the element type and shape must agree.
            if ((typeof(TRow) == typeof(object) && Rows.ElementType(row.GetType()) != typeof(T)) || Rows.ShapeOf<T, TRow>(row) != shape)
            {
                batch.Dispose();
                throw new ArgumentException(
                    $"Cannot collate {path}: item {i} is {Rows.Describe<T>(row)} but item 0 is {Rows.Describe<T>(first)}; " +
                    "stacking needs equal shapes and element types.");
            }
            Rows.CopyTo(row, rows.GetRowSpan(i));
        }
        return batch;
    }
}

/// <summary>A leaf users registered through <see cref="DefaultCollate.RegisterLeaf{TLeaf}"/>.</summary>
internal sealed class UserLeaf<TLeaf>(Func<IReadOnlyList<TLeaf>, Tensor> collate) : LeafCollator
{
    public override Type LeafType => typeof(TLeaf);

    public override object CollateBoxed(object?[] column, string path, bool pinMemory)
    {
        var values = new TLeaf[column.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = column[i] is TLeaf value ? value : throw Mismatch(path, i, column[i]!, "a " + typeof(TLeaf).Name, column[0]!);
        return Run(values, path);
    }

    public override Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>? Typed<TItem, TField>() =>
        typeof(TLeaf).IsAssignableFrom(typeof(TField))
            ? (items, get, path, _) =>
            {
                var values = new TLeaf[items.Count];
                for (var i = 0; i < values.Length; i++)
                    values[i] = (TLeaf)(object)get(items[i])!;
                return Run(values, path);
            }
            : null;

    private Tensor Run(TLeaf[] values, string path)
    {
        try
        {
            return collate(values) ?? throw new InvalidOperationException("the registered collate function returned null.");
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            throw new ArgumentException($"Cannot collate {path}: the leaf registered for {typeof(TLeaf).Name} failed: {e.Message}", e);
        }
    }
}

/// <summary>The numeric element types and their dtypes.</summary>
internal static class Numbers
{
    public static ScalarType? ScalarTypeOf(Type type) => type switch
    {
        _ when type == typeof(float) => ScalarType.Float32,
        _ when type == typeof(double) => ScalarType.Float64,
        _ when type == typeof(long) => ScalarType.Int64,
        _ when type == typeof(int) => ScalarType.Int32,
        _ when type == typeof(short) => ScalarType.Int16,
        _ when type == typeof(byte) => ScalarType.Byte,
        _ when type == typeof(sbyte) => ScalarType.Int8,
        _ when type == typeof(bool) => ScalarType.Bool,
        _ when type == typeof(Half) => ScalarType.Float16,
        _ => null,
    };
}

/// <summary>The managed row containers: their element type, shape, contents and description.</summary>
internal static class Rows
{
    public readonly record struct Shape(int Rank, int D0, int D1);

    public static Type? ElementType(Type type)
    {
        if (type.IsArray)
            return type.GetArrayRank() <= 2 && Numbers.ScalarTypeOf(type.GetElementType()!) is not null ? type.GetElementType() : null;
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        var element = type.GetGenericArguments()[0];
        var isRow = definition == typeof(ReadOnlyMemory<>) || definition == typeof(Memory<>) || definition == typeof(ArraySegment<>) ||
                    definition == typeof(ReadOnlyMemory2D<>) || definition == typeof(Memory2D<>);
        return isRow && Numbers.ScalarTypeOf(element) is not null ? element : null;
    }

    // Typed callers pass the container itself (TRow = T[], ReadOnlyMemory<T>, …): the JIT specialises each value-type
    // instantiation, so the type tests below fold away and nothing is boxed.
    public static Shape ShapeOf<T>(object row) => row switch
    {
        T[] a => new(1, a.Length, 1),
        T[,] a => new(2, a.GetLength(0), a.GetLength(1)),
        ReadOnlyMemory<T> m => new(1, m.Length, 1),
        Memory<T> m => new(1, m.Length, 1),
        ArraySegment<T> s => new(1, s.Count, 1),
        ReadOnlyMemory2D<T> m => new(2, m.Height, m.Width),
        Memory2D<T> m => new(2, m.Height, m.Width),
        _ => new(0, 0, 0),
    };

    public static Shape ShapeOf<T, TRow>(TRow row)
    {
        if (typeof(TRow) == typeof(ReadOnlyMemory<T>))
            return new(1, System.Runtime.CompilerServices.Unsafe.As<TRow, ReadOnlyMemory<T>>(ref row).Length, 1);
        if (typeof(TRow) == typeof(T[]))
            return new(1, System.Runtime.CompilerServices.Unsafe.As<TRow, T[]>(ref row).Length, 1);
        return ShapeOf<T>(row!);
    }

    public static void CopyTo<T, TRow>(TRow row, Span<T> destination)
    {
        if (typeof(TRow) == typeof(ReadOnlyMemory<T>))
        {
            System.Runtime.CompilerServices.Unsafe.As<TRow, ReadOnlyMemory<T>>(ref row).Span.CopyTo(destination);
            return;
        }
        if (typeof(TRow) == typeof(T[]))
        {
            System.Runtime.CompilerServices.Unsafe.As<TRow, T[]>(ref row).AsSpan().CopyTo(destination);
            return;
        }
        switch (row)
        {
            case T[] a: a.AsSpan().CopyTo(destination); break;
            case T[,] a: a.AsSpan().CopyTo(destination); break;
            case ReadOnlyMemory<T> m: m.Span.CopyTo(destination); break;
            case Memory<T> m: m.Span.CopyTo(destination); break;
            case ArraySegment<T> s: s.AsSpan().CopyTo(destination); break;
            case ReadOnlyMemory2D<T> m: m.Span.CopyTo(destination); break;
            case Memory2D<T> m: m.Span.CopyTo(destination); break;
        }
    }

    public static string Describe<T>(object row)
    {
        var element = ElementType(row.GetType());
        if (element != typeof(T))
            return $"a {row.GetType().Name} of {element?.Name ?? "?"}";
        var s = ShapeOf<T>(row);
        return $"a {row.GetType().Name} of shape " + (s.Rank == 1 ? $"[{s.D0}]" : $"[{s.D0}, {s.D1}]");
    }
}
