using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;

namespace GenNet.Data;

/// <summary>
/// The boxing-free plans for the common item shapes, built once per item type: a pair <c>(x, y)</c> or a single value
/// whose parts are leaves (<see cref="CollateLeaves"/>) with a typed form (managed rows, numbers, tensors, registered
/// leaves). Anything else goes through the general, boxed recursion of <see cref="DefaultCollate"/>; both use the same
/// leaves, so they give the same batches and errors.
/// </summary>
internal static class TypedCollate
{
    /// <summary>The plan for <typeparamref name="TItem"/>, or <see langword="null"/> when only the general path applies.</summary>
    public static Func<IReadOnlyList<TItem>, bool, object>? For<TItem>() => Plan<TItem>.Collate;

    private static class Plan<TItem>
    {
        public static readonly Func<IReadOnlyList<TItem>, bool, object>? Collate = Build();

        private static Func<IReadOnlyList<TItem>, bool, object>? Build()
        {
            var type = typeof(TItem);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTuple<,>))
            {
                var method = typeof(TypedCollate).GetMethod(nameof(CollatePair), BindingFlags.NonPublic | BindingFlags.Static)!;
                return method.MakeGenericMethod(type.GetGenericArguments()).CreateDelegate<Func<IReadOnlyList<TItem>, bool, object>>();
            }
            // A single leaf: typed only if its leaf has a typed form now; a leaf registered later is found by the field's
            // own check on the general path.
            if (CollateLeaves.Find(type)?.Typed<TItem, TItem>() is not null)
                return static (items, pin) => Field<TItem, TItem>.Collate(items, static x => x, "item", pin);
            return null;
        }
    }

    private static object CollatePair<TA, TB>(IReadOnlyList<(TA, TB)> items, bool pinMemory)
    {
        var first = Field<(TA, TB), TA>.Collate(items, static t => t.Item1, "item[0]", pinMemory);
        try
        {
            return new[] { first, Field<(TA, TB), TB>.Collate(items, static t => t.Item2, "item[1]", pinMemory) };
        }
        catch
        {
            BatchTensors.Dispose(first);
            throw;
        }
    }

    /// <summary>One field of the items: its leaf's typed collator, looked up again whenever the leaf registry changes.</summary>
    private static class Field<TItem, TField>
    {
        private static Compiled? _plan;

        public static object Collate(IReadOnlyList<TItem> items, Func<TItem, TField> get, string path, bool pinMemory)
        {
            var plan = Volatile.Read(ref _plan);
            var version = CollateLeaves.Version;
            if (plan is null || plan.Version != version)
                Volatile.Write(ref _plan, plan = new Compiled(version, Build()));
            return plan.Collate(items, get, path, pinMemory);
        }

        private sealed record Compiled(int Version, Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object> Collate);

        private static Func<IReadOnlyList<TItem>, Func<TItem, TField>, string, bool, object> Build()
        {
            // Sealed field types only: a field declared as a base type may hold values of several leaf types.
            var type = typeof(TField);
            var typed = type.IsValueType || type.IsSealed || type.IsArray ? CollateLeaves.Find(type)?.Typed<TItem, TField>() : null;
            return typed ?? (static (items, get, path, pin) =>
            {
                var column = new object?[items.Count];
                for (var i = 0; i < column.Length; i++)
                    column[i] = get(items[i]);
                return DefaultCollate.CollateColumn(column, path, pin);
            });
        }
    }
}
