using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace GenNet.Data;

/// <summary>
/// Finds and rebuilds the tensors inside a batch structure (a tensor, tuples, arrays, lists and dictionaries, nested).
/// The loader uses it to hand batches between threads and to move them to a device.
/// </summary>
public static class BatchTensors
{
    /// <summary>Calls <paramref name="action"/> for every tensor inside <paramref name="batch"/>.</summary>
    public static void ForEach(object? batch, Action<Tensor> action)
    {
        switch (batch)
        {
            case null or string:
                return;
            case Tensor t:
                action(t);
                return;
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                    ForEach(tuple[i], action);
                return;
            case IDictionary dictionary:
                foreach (var value in dictionary.Values)
                    ForEach(value, action);
                return;
            case IEnumerable sequence when batch is not Array { Rank: > 1 } && IsContainer(batch.GetType()):
                foreach (var value in sequence)
                    ForEach(value, action);
                return;
        }
    }

    /// <summary>Disposes every tensor inside <paramref name="batch"/>.</summary>
    public static void Dispose(object? batch) => ForEach(batch, t => t.Dispose());

    /// <summary>
    /// A copy of the structure of <paramref name="batch"/> with every tensor replaced by <paramref name="map"/>(tensor).
    /// Supports <see cref="Tensor"/>, value tuples of up to 3 tensors, <c>Tensor[]</c>, <c>List&lt;Tensor&gt;</c>,
    /// <c>object[]</c>, and dictionaries of string to <see cref="Tensor"/> or <see cref="object"/>, nested.
    /// </summary>
    /// <exception cref="NotSupportedException">The batch type is not one of those.</exception>
    public static T Map<T>(T batch, Func<Tensor, Tensor> map) => (T)MapObject(batch, map)!;

    /// <summary>Whether <see cref="Map{T}"/> can rebuild values of <paramref name="type"/> (checked before the first epoch).</summary>
    public static bool CanMap(Type type) =>
        type == typeof(Tensor) || type == typeof(object) || type == typeof(object[]) || type == typeof(Tensor[]) ||
        type == typeof(List<Tensor>) || type == typeof(Dictionary<string, Tensor>) || type == typeof(Dictionary<string, object>) ||
        type == typeof((Tensor, Tensor)) || type == typeof((Tensor, Tensor, Tensor)) || type == typeof(string[]);

    private static object? MapObject(object? batch, Func<Tensor, Tensor> map) => batch switch
    {
        null or string or string[] => batch,
        Tensor t => map(t),
        ValueTuple<Tensor, Tensor> p => (map(p.Item1), map(p.Item2)),
        ValueTuple<Tensor, Tensor, Tensor> p => (map(p.Item1), map(p.Item2), map(p.Item3)),
        Tensor[] array => Array.ConvertAll(array, t => map(t)),
        List<Tensor> list => list.ConvertAll(x => map(x)),
        object?[] array => Array.ConvertAll(array, x => MapObject(x, map)),
        Dictionary<string, Tensor> d => MapDictionary(d, map),
        Dictionary<string, object> d => MapDictionary(d, x => MapObject(x, map)!),
        _ => throw new NotSupportedException(
            $"Cannot move a batch of type {batch.GetType()} to a device or pinned memory; use a Tensor, a tuple of tensors, " +
            "an array, a list or a dictionary of tensors, or move it in your own collate function."),
    };

    private static Dictionary<string, TValue> MapDictionary<TValue>(Dictionary<string, TValue> source, Func<TValue, TValue> map)
    {
        var result = new Dictionary<string, TValue>(source.Count);
        foreach (var (key, value) in source)
            result.Add(key, map(value));
        return result;
    }

    private static bool IsContainer(Type type) =>
        type.IsArray ? !type.GetElementType()!.IsPrimitive : !type.IsGenericType || !type.GetGenericArguments()[0].IsPrimitive;
}
