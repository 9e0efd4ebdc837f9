using GenNet.Generators.Shared;

namespace GenNet.Generators.Module;

/// <summary>What a registered member holds, which decides how it is registered.</summary>
internal enum MemberKind
{
    /// <summary>A child module (register_module).</summary>
    Module,

    /// <summary>A child module typed as a TorchSharp module interface; registered after a cast.</summary>
    ModuleInterface,

    /// <summary>A tensor: a parameter when the value is a Parameter, otherwise a buffer (PyTorch's rule).</summary>
    Tensor,
}

/// <summary>How a registered member is stored, which decides where the generated code reads and writes it.</summary>
internal enum MemberStorage
{
    /// <summary>A field the user declared; registered when RegisterComponents() runs.</summary>
    Field,

    /// <summary>A readonly field: written back after to(device) through a reference, as TorchSharp does by reflection.</summary>
    ReadOnlyField,

    /// <summary>A partial property the generator implements: assigning registers.</summary>
    PartialProperty,
}

/// <summary>One accessor of a partial property, as the user declared it (modifiers must be repeated exactly).</summary>
/// <param name="Modifiers">Accessor modifiers such as <c>private</c>, or empty.</param>
/// <param name="Keyword"><c>get</c> or <c>set</c>.</param>
internal sealed record AccessorModel(string Modifiers, string Keyword);

/// <summary>A member the generated code registers.</summary>
/// <param name="Name">The C# name as written in code (escaped when it is a keyword).</param>
/// <param name="RegisteredName">The name in the module's registry and in state_dict keys.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Storage">How it is stored.</param>
/// <param name="TypeName">The fully qualified type, with its nullable annotation.</param>
/// <param name="Persistent">For buffers: whether they belong in state_dict.</param>
/// <param name="PropertyModifiers">For partial properties: the declaration's modifiers, e.g. <c>public partial</c>.</param>
/// <param name="Accessors">For partial properties: the accessors to implement.</param>
internal sealed record MemberModel(
    string Name,
    string RegisteredName,
    MemberKind Kind,
    MemberStorage Storage,
    string TypeName,
    bool Persistent,
    string PropertyModifiers,
    EquatableArray<AccessorModel> Accessors);

/// <summary>Everything the emitter needs for one [Module] class; equatable, so unchanged classes stay cached.</summary>
/// <param name="HintName">The generated file's stable name: <c>Namespace.Outer+Type`1.Module.g.cs</c>.</param>
/// <param name="Hierarchy">The class's namespace and declarations, outermost first, ending with the class.</param>
/// <param name="ReprName">The name its repr starts with (the class name, as PyTorch prints it).</param>
/// <param name="BaseIsGenerated">Whether the base class is a [Module] class too, whose registration runs first.</param>
/// <param name="MemberOrder">Registered names in declaration order, base classes first.</param>
/// <param name="Members">This class's registered members, in declaration order.</param>
/// <param name="HasExtraRepr">Whether the class (or a base) declares <c>string ExtraRepr()</c>.</param>
/// <param name="EmitToString">False when the class writes its own ToString().</param>
internal sealed record ModuleModel(
    string HintName,
    TypeHierarchy Hierarchy,
    string ReprName,
    bool BaseIsGenerated,
    EquatableArray<string> MemberOrder,
    EquatableArray<MemberModel> Members,
    bool HasExtraRepr,
    bool EmitToString);

/// <summary>The transform's result for one [Module] class: a model to emit (null when it has errors) and diagnostics.</summary>
/// <param name="Module">The model, or null when nothing should be generated.</param>
/// <param name="Diagnostics">Diagnostics to report.</param>
internal sealed record ModuleResult(ModuleModel? Module, EquatableArray<DiagnosticInfo> Diagnostics);
