using System;

namespace GenNet;

/// <summary>
/// Registers a <c>Tensor</c> member of a <see cref="ModuleAttribute">[Module]</see> class as a non-persistent buffer
/// (PyTorch's <c>register_buffer(name, t, persistent=False)</c>): it moves with the module on <c>to(device)</c> but is
/// left out of <c>state_dict</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class NonPersistentAttribute : Attribute
{
}
