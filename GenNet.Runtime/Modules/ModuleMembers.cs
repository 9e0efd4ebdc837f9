using System;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenNet.Modules;

/// <summary>
/// The registration steps that code generated for <see cref="ModuleAttribute">[Module]</see> classes calls: PyTorch's
/// <c>__setattr__</c> for a child module, a parameter or a buffer. Every call is idempotent (assigning the registered
/// object again changes nothing), replaces an entry in place, and removes it when given null; a new entry goes to the
/// position its member's declaration gives it, so registration order is declaration order whatever order the
/// constructor assigns in.
/// </summary>
/// <remarks>
/// Generated code passes the module's protected registries (<c>_internal_submodules</c>, <c>_internal_params</c>,
/// <c>_internal_buffers</c>), which only code inside the module class can reach. Not meant to be called by hand.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModuleMembers
{
    /// <summary>Registers, replaces or (for null) removes the child module <paramref name="name"/>.</summary>
    /// <param name="owner">The module that owns <paramref name="modules"/>.</param>
    /// <param name="modules">The owner's <c>_internal_submodules</c>.</param>
    /// <param name="name">The registered name.</param>
    /// <param name="value">The child, or null to remove it.</param>
    /// <param name="order">Registered names of the owner's members in declaration order (base class first).</param>
    public static void SetModule(nn.Module owner, OrderedDict<string, nn.Module> modules, string name, nn.Module? value, string[] order)
    {
        int index;
        if (modules.TryGetValue(name, out var current))
        {
            if (ReferenceEquals(current, value))
                return;
            index = IndexOf(modules, name);
            modules.RemoveAt(index);
        }
        else
        {
            index = InsertionIndex(modules, name, order);
        }
        if (value is null)
            return;
        // register_module runs the child's own registration (as TorchSharp does for every child) and validates the
        // name; it appends, so the new entry then moves to its place.
        owner.register_module(name, value);
        int last = modules.Count - 1;
        if (last > index && modules[last].Item1 == name)
        {
            var entry = modules[last];
            modules.RemoveAt(last);
            modules.Insert(index, entry);
        }
    }

    /// <summary>
    /// Registers, replaces or (for null) removes the tensor <paramref name="name"/>: as a parameter when it is a
    /// <see cref="Parameter"/>, otherwise as a buffer — the rule of PyTorch's <c>__setattr__</c>.
    /// </summary>
    /// <param name="parameters">The owner's <c>_internal_params</c>.</param>
    /// <param name="buffers">The owner's <c>_internal_buffers</c>.</param>
    /// <param name="name">The registered name.</param>
    /// <param name="value">The tensor, or null to remove it.</param>
    /// <param name="persistent">Whether a buffer belongs in <c>state_dict</c>.</param>
    /// <param name="order">Registered names of the owner's members in declaration order (base class first).</param>
    public static void SetTensor(OrderedDict<string, Parameter> parameters, OrderedDict<string, (Tensor, bool)> buffers,
        string name, Tensor? value, bool persistent, string[] order)
    {
        if (value is Parameter parameter)
        {
            Remove(buffers, name);
            Set(parameters, name, parameter, order);
        }
        else if (value is not null)
        {
            Remove(parameters, name);
            Set(buffers, name, (value, persistent), order);
        }
        else
        {
            Remove(parameters, name);
            Remove(buffers, name);
        }
    }

    /// <summary>
    /// The tensor registered as <paramref name="name"/>, or <paramref name="current"/> when none is. TorchSharp's
    /// <c>to(device)</c> replaces registered tensors by new objects and updates only members it can find by their
    /// registered name, so generated code reads the new objects back into the members.
    /// </summary>
    /// <typeparam name="T">The member's type.</typeparam>
    /// <param name="parameters">The owner's <c>_internal_params</c>.</param>
    /// <param name="buffers">The owner's <c>_internal_buffers</c>.</param>
    /// <param name="name">The registered name.</param>
    /// <param name="current">The member's value.</param>
    /// <returns>The registered tensor, when it is a <typeparamref name="T"/>; otherwise <paramref name="current"/>.</returns>
    public static T? Registered<T>(OrderedDict<string, Parameter> parameters, OrderedDict<string, (Tensor, bool)> buffers,
        string name, T? current) where T : Tensor
    {
        if (parameters.TryGetValue(name, out var parameter) && parameter is T p)
            return p;
        if (buffers.TryGetValue(name, out var buffer) && buffer.Item1 is T b)
            return b;
        return current;
    }

    /// <summary>
    /// PyTorch's <c>named_buffers</c>: TorchSharp 0.107 leaves a module's own non-persistent buffers out even when
    /// <paramref name="includeNonPersistent"/> is true, so <c>buffers()</c> misses them and <c>to(device)</c> does not
    /// move them; generated code overrides <c>named_buffers</c> with this.
    /// </summary>
    /// <param name="buffers">The owner's <c>_internal_buffers</c>.</param>
    /// <param name="modules">The owner's <c>_internal_submodules</c>.</param>
    /// <param name="recurse">Whether to include the buffers of descendants, as <c>child.name</c>.</param>
    /// <param name="includeNonPersistent">Whether to include buffers that are left out of <c>state_dict</c>.</param>
    /// <returns>Name and buffer pairs, each tensor once.</returns>
    public static IEnumerable<(string name, Tensor buffer)> NamedBuffers(OrderedDict<string, (Tensor, bool)> buffers,
        OrderedDict<string, nn.Module> modules, bool recurse, bool includeNonPersistent)
    {
        var seen = new HashSet<IntPtr> { IntPtr.Zero };
        foreach (var (name, (buffer, persistent)) in buffers)
            if ((persistent || includeNonPersistent) && seen.Add(buffer.Handle))
                yield return (name, buffer);
        if (!recurse)
            yield break;
        foreach (var (prefix, child) in modules)
            foreach (var (name, buffer) in child.named_buffers(true, includeNonPersistent))
                if (seen.Add(buffer.Handle))
                    yield return ($"{prefix}.{name}", buffer);
    }

    /// <summary>The names of the owner's own non-persistent buffers, to restore after <c>to(device)</c>.</summary>
    /// <param name="buffers">The owner's <c>_internal_buffers</c>.</param>
    /// <returns>The names.</returns>
    public static string[] NonPersistentNames(OrderedDict<string, (Tensor, bool)> buffers)
    {
        var names = new List<string>();
        foreach (var (name, (_, persistent)) in buffers)
            if (!persistent)
                names.Add(name);
        return names.ToArray();
    }

    /// <summary>
    /// Marks <paramref name="names"/> non-persistent again: TorchSharp's <c>to(device)</c> re-registers every moved buffer
    /// as persistent.
    /// </summary>
    /// <param name="buffers">The owner's <c>_internal_buffers</c>.</param>
    /// <param name="names">What <see cref="NonPersistentNames"/> returned before the move.</param>
    public static void MarkNonPersistent(OrderedDict<string, (Tensor, bool)> buffers, string[] names)
    {
        foreach (var name in names)
            if (buffers.TryGetValue(name, out var entry))
                buffers[name] = (entry.Item1, false);
    }

    private static void Set<T>(OrderedDict<string, T> registry, string name, T value, string[] order)
    {
        if (registry.ContainsKey(name))
            registry[name] = value; // keeps the entry's position
        else
            registry.Insert(InsertionIndex(registry, name, order), (name, value));
    }

    private static void Remove<T>(OrderedDict<string, T> registry, string name)
    {
        if (registry.ContainsKey(name))
            registry.Remove(name);
    }

    private static int IndexOf<T>(OrderedDict<string, T> registry, string name)
    {
        for (int i = 0; i < registry.Count; i++)
            if (registry[i].Item1 == name)
                return i;
        return -1;
    }

    // Before the first entry of a member declared later; entries registered by hand (add_module) are no barrier, so
    // they keep the place their call gave them.
    private static int InsertionIndex<T>(OrderedDict<string, T> registry, string name, string[] order)
    {
        int rank = Array.IndexOf(order, name);
        if (rank < 0)
            return registry.Count;
        for (int i = 0; i < registry.Count; i++)
            if (Array.IndexOf(order, registry[i].Item1) > rank)
                return i;
        return registry.Count;
    }
}
