namespace GenNet.Modules;

/// <summary>
/// What <see cref="ModuleRepr.Repr"/> asks a module for: the name its repr starts with and its one-line
/// configuration (PyTorch's <c>_get_name()</c> and <c>extra_repr()</c>). <see cref="ModuleAttribute">[Module]</see>
/// classes implement it through generated code; a hand-written TorchSharp module may implement it too.
/// </summary>
/// <remarks>
/// In a <c>[Module]</c> class, declare <c>string ExtraRepr()</c> (any accessibility) and the generated implementation
/// calls it, as PyTorch calls an overridden <c>extra_repr</c>.
/// </remarks>
public interface IModuleRepr
{
    /// <summary>The name printed before the parenthesis: the class name, as PyTorch prints it.</summary>
    string ReprName { get; }

    /// <summary>Extra text printed inside the parenthesis before the children; empty for none.</summary>
    /// <returns>One line, or several separated by <c>\n</c>.</returns>
    string ExtraRepr() => "";
}
