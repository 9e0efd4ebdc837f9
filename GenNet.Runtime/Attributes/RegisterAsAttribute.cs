using System;

namespace GenNet;

/// <summary>
/// Registers a member of a <see cref="ModuleAttribute">[Module]</see> class under <see cref="Name"/> instead of the
/// snake_case of its C# name — for a <c>state_dict</c> key that must match a checkpoint, e.g. <c>[RegisterAs("fc")]</c>
/// on a property called <c>Classifier</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class RegisterAsAttribute : Attribute
{
    /// <summary>Registers the member as <paramref name="name"/>.</summary>
    /// <param name="name">The registered name: not empty, without <c>.</c> (it becomes one segment of a dotted key).</param>
    public RegisterAsAttribute(string name) => Name = name;

    /// <summary>The name the member is registered under.</summary>
    public string Name { get; }
}
