using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// PyTorch's <c>default_collate</c>: turns a list of items into one batch, recursing through tuples, dictionaries and
/// sequences and stacking the leaves along a new first dimension.
/// </summary>
/// <remarks>
/// <para>Leaves and what they become:</para>
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
        if (TypedPlan<TItem>.Collate is { } typed)
            return typed(items, pinMemory);
        var column = new object?[items.Count];
        for (var i = 0; i < column.Length; i++)
            column[i] = items[i];
        return CollateColumn(column, "item", pinMemory);
    }

    /// <summary>
    /// A boxing-free plan for the common item shapes, built once per item type: a pair <c>(x, y)</c> or a single leaf
    /// whose parts are managed rows (<c>T[]</c>, <see cref="ReadOnlyMemory{T}"/>) or numbers. Anything else goes through
    /// the general, boxed path; both give the same batches and errors.
    /// </summary>
    private static class TypedPlan<TItem>
    {
        public static readonly Func<IReadOnlyList<TItem>, bool, object>? Collate = Build();

        private static Func<IReadOnlyList<TItem>, bool, object>? Build()
        {
            var type = typeof(TItem);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTuple<,>))
            {
                var method = typeof(DefaultCollate).GetMethod(nameof(CollatePair), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
                return method.MakeGenericMethod(type.GetGenericArguments()).CreateDelegate<Func<IReadOnlyList<TItem>, bool, object>>();
            }
            if (FieldCollator<TItem, TItem>.IsTyped)
                return static (items, pin) => FieldCollator<TItem, TItem>.Collate(items, static x => x, "item", pin);
            return null;
        }
    }

    private static object CollatePair<TA, TB>(IReadOnlyList<(TA, TB)> items, bool pinMemory)
    {
        var first = FieldCollator<(TA, TB), TA>.Collate(items, static t => t.Item1, "item[0]", pinMemory);
        try
        {
            return new[] { first, FieldCollator<(TA, TB), TB>.Collate(items, static t => t.Item2, "item[1]", pinMemory) };
        }
        catch
        {
            BatchTensors.Dispose(first);
            throw;
        }
    }

    private static class FieldCollator<TItem, TField>
    {
        public static readonly Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object> Collate = Build(out IsTyped);
        public static readonly bool IsTyped;

        private static Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object> Build(out bool typed)
        {
            var field = typeof(TField);
            string? method = null;
            Type? element = null;
            if (field.IsGenericType && field.GetGenericTypeDefinition() == typeof(ReadOnlyMemory<>))
                (method, element) = (nameof(MemoryRows), field.GetGenericArguments()[0]);
            else if (field.IsArray && field.GetArrayRank() == 1)
                (method, element) = (nameof(ArrayRows), field.GetElementType());
            else if (field == typeof(int))
                (method, element) = (nameof(IntScalarField), null);
            else if (ScalarTypeOf(field) is not null)
                (method, element) = (nameof(ScalarField), field);
            typed = method is not null && (element is null || ScalarTypeOf(element) is not null);
            if (!typed)
            {
                return static (items, get, path, pin) =>
                {
                    var column = new object?[items.Count];
                    for (var i = 0; i < column.Length; i++)
                        column[i] = get(items[i]);
                    return CollateColumn(column, path, pin);
                };
            }
            var generic = typeof(DefaultCollate).GetMethod(method!, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
            var closed = element is null ? generic.MakeGenericMethod(typeof(TItem)) : generic.MakeGenericMethod(typeof(TItem), element);
            return closed.CreateDelegate<Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object>>();
        }
    }

    private static object MemoryRows<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, ReadOnlyMemory<T>> get, string path, bool pinMemory)
        where T : unmanaged
    {
        var length = get(items[0]).Length;
        var batch = Allocate<T>([items.Count, length], pinMemory, out var buffer);
        var rows = buffer.AsSpan2D(items.Count, length);
        for (var i = 0; i < items.Count; i++)
        {
            var row = get(items[i]);
            if (row.Length != length)
            {
                batch.Dispose();
                throw RowMismatch(path, i, typeof(ReadOnlyMemory<T>), row.Length, length);
            }
            row.Span.CopyTo(rows.GetRowSpan(i));
        }
        return batch;
    }

    private static object ArrayRows<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, T[]> get, string path, bool pinMemory)
        where T : unmanaged
    {
        var length = (get(items[0]) ?? throw new ArgumentException($"Cannot collate {path}: item 0 is null.")).Length;
        var batch = Allocate<T>([items.Count, length], pinMemory, out var buffer);
        var rows = buffer.AsSpan2D(items.Count, length);
        for (var i = 0; i < items.Count; i++)
        {
            var row = get(items[i]);
            if (row is null || row.Length != length)
            {
                batch.Dispose();
                throw row is null ? new ArgumentException($"Cannot collate {path}: item {i} is null.") : RowMismatch(path, i, typeof(T[]), row.Length, length);
            }
            row.AsSpan().CopyTo(rows.GetRowSpan(i));
        }
        return batch;
    }

    private static ArgumentException RowMismatch(string path, int item, Type type, int length, int firstLength) =>
        new($"Cannot collate {path}: item {item} is a {type.Name} of shape [{length}] but item 0 is a {type.Name} of shape [{firstLength}]; " +
            "stacking needs equal shapes and element types.");

    private static object ScalarField<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, T> get, string path, bool pinMemory)
        where T : unmanaged
    {
        var batch = Allocate<T>([items.Count], pinMemory, out var values);
        for (var i = 0; i < items.Count; i++)
            values[i] = get(items[i]);
        return batch;
    }

    private static object IntScalarField<TItem>(IReadOnlyList<TItem> items, Func<TItem, int> get, string path, bool pinMemory)
    {
        var batch = Allocate<long>([items.Count], pinMemory, out var values);
        for (var i = 0; i < items.Count; i++)
            values[i] = get(items[i]);
        return batch;
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

    private static object CollateColumn(object?[] column, string path, bool pinMemory)
    {
        var first = column[0] ?? throw new ArgumentException($"Cannot collate {path}: item 0 is null.");
        for (var i = 1; i < column.Length; i++)
        {
            if (column[i] is null)
                throw new ArgumentException($"Cannot collate {path}: item {i} is null.");
        }
        switch (first)
        {
            case Tensor:
                return StackTensors(column, path);
            case string:
                return Array.ConvertAll(column, x => x as string ?? throw Mismatch(path, column, x!, "a string"));
        }
        var type = first.GetType();
        if (ScalarTypeOf(type) is not null)
            return DispatchNumeric(type, column, path, pinMemory, scalar: true);
        if (RowElementType(type) is { } element)
            return DispatchNumeric(element, column, path, pinMemory, scalar: false);
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
            "strings, tuples, lists and dictionaries are).");
    }

    private static object[] CollateTransposed(object?[] column, string path, bool pinMemory, int arity,
        Func<object, int> length, Func<object, int, object?> get, string kind)
    {
        for (var i = 0; i < column.Length; i++)
        {
            var itemLength = length(column[i]!);
            if (itemLength < 0)
                throw Mismatch(path, column, column[i]!, kind);
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
                    throw Mismatch(path, column, column[i]!, "a dictionary");
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

    private static Tensor StackTensors(object?[] column, string path)
    {
        var tensors = new Tensor[column.Length];
        var first = (Tensor)column[0]!;
        for (var i = 0; i < column.Length; i++)
        {
            var t = column[i] as Tensor ?? throw Mismatch(path, column, column[i]!, "a tensor");
            if (!t.shape.AsSpan().SequenceEqual(first.shape) || t.dtype != first.dtype)
                throw new ArgumentException(
                    $"Cannot collate {path}: item {i} is a {t.dtype} tensor of shape {TensorPairDataset.Shape(t)} but item 0 is a " +
                    $"{first.dtype} tensor of shape {TensorPairDataset.Shape(first)}; stacking needs equal shapes and dtypes.");
            tensors[i] = t;
        }
        return stack(tensors);
    }

    private static ArgumentException Mismatch(string path, object?[] column, object item, string expected) =>
        new($"Cannot collate {path}: item {Array.IndexOf(column, item)} is a {item.GetType().Name} but item 0 is {expected} ({column[0]!.GetType().Name}).");

    private static ScalarType? ScalarTypeOf(Type type) => type switch
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

    private static Type? RowElementType(Type type)
    {
        if (type.IsArray)
            return type.GetArrayRank() <= 2 && ScalarTypeOf(type.GetElementType()!) is not null ? type.GetElementType() : null;
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        var element = type.GetGenericArguments()[0];
        var isRow = definition == typeof(ReadOnlyMemory<>) || definition == typeof(Memory<>) || definition == typeof(ArraySegment<>) ||
                    definition == typeof(ReadOnlyMemory2D<>) || definition == typeof(Memory2D<>);
        return isRow && ScalarTypeOf(element) is not null ? element : null;
    }

    private static Tensor DispatchNumeric(Type element, object?[] column, string path, bool pinMemory, bool scalar) => element switch
    {
        _ when element == typeof(float) => Numeric<float>(column, path, pinMemory, scalar),
        _ when element == typeof(double) => Numeric<double>(column, path, pinMemory, scalar),
        _ when element == typeof(long) => Numeric<long>(column, path, pinMemory, scalar),
        _ when element == typeof(int) => scalar ? IntScalars(column, path, pinMemory) : Numeric<int>(column, path, pinMemory, false),
        _ when element == typeof(short) => Numeric<short>(column, path, pinMemory, scalar),
        _ when element == typeof(byte) => Numeric<byte>(column, path, pinMemory, scalar),
        _ when element == typeof(sbyte) => Numeric<sbyte>(column, path, pinMemory, scalar),
        _ when element == typeof(bool) => Numeric<bool>(column, path, pinMemory, scalar),
        _ => Numeric<Half>(column, path, pinMemory, scalar),
    };

    private static Tensor Numeric<T>(object?[] column, string path, bool pinMemory, bool scalar) where T : unmanaged
    {
        if (scalar)
        {
            var result = Allocate<T>([column.Length], pinMemory, out var values);
            for (var i = 0; i < column.Length; i++)
                values[i] = column[i] is T v ? v : throw Mismatch(path, column, column[i]!, "a " + typeof(T).Name);
            return result;
        }
        var firstType = column[0]!.GetType();
        var shape = ShapeOf<T>(column[0]!);
        var itemLength = shape.D0 * shape.D1;
        long[] dims = shape.Rank == 1 ? [column.Length, shape.D0] : [column.Length, shape.D0, shape.D1];
        var batch = Allocate<T>(dims, pinMemory, out var buffer);
        var rows = buffer.AsSpan2D(column.Length, itemLength);
        for (var i = 0; i < column.Length; i++)
        {
            var item = column[i]!;
            if ((item.GetType() != firstType && RowElementType(item.GetType()) != typeof(T)) || ShapeOf<T>(item) != shape)
            {
                batch.Dispose();
                throw new ArgumentException(
                    $"Cannot collate {path}: item {i} is {DescribeRow<T>(item)} but item 0 is {DescribeRow<T>(column[0]!)}; " +
                    "stacking needs equal shapes and element types.");
            }
            CopyRow<T>(item, rows.GetRowSpan(i));
        }
        return batch;
    }

    private static Tensor IntScalars(object?[] column, string path, bool pinMemory)
    {
        var result = Allocate<long>([column.Length], pinMemory, out var values);
        for (var i = 0; i < column.Length; i++)
            values[i] = column[i] is int v ? v : throw Mismatch(path, column, column[i]!, "an Int32");
        return result;
    }

    private static Tensor Allocate<T>(long[] dims, bool pinMemory, out Span<T> span) where T : unmanaged
    {
        var result = empty(dims, ScalarTypeOf(typeof(T))!.Value);
        if (pinMemory)
        {
            // Preallocate the page-locked buffer and write into it, instead of copying a finished batch into pinned memory.
            var pinned = result.pin_memory();
            result.Dispose();
            result = pinned;
        }
        span = MemoryMarshal.Cast<byte, T>(result.bytes);
        return result;
    }

    private readonly record struct RowShape(int Rank, int D0, int D1);

    private static RowShape ShapeOf<T>(object item) => item switch
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

    private static string DescribeRow<T>(object item)
    {
        var element = RowElementType(item.GetType());
        if (element != typeof(T))
            return $"a {item.GetType().Name} of {element?.Name ?? "?"}";
        var s = ShapeOf<T>(item);
        return $"a {item.GetType().Name} of shape " + (s.Rank == 1 ? $"[{s.D0}]" : $"[{s.D0}, {s.D1}]");
    }

    private static void CopyRow<T>(object item, Span<T> destination)
    {
        switch (item)
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
}
