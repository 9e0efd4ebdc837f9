using System;

namespace GenNet;

/// <summary>
/// Keeps a member of a <see cref="ModuleAttribute">[Module]</see> class out of the module's registry: it is not a child
/// module, parameter or buffer, is not moved by <c>to(device)</c> and is not saved. Use it for a plain list of layers
/// that the constructor registers itself with <c>add_module</c>, or for a cached tensor that is not model state.
/// A partial property marked this way is not implemented by the generator.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class NotRegisteredAttribute : Attribute
{
}
