using GenNet.Generators.Shared;

namespace GenNet.Generators.Delegates;

/// <summary>
/// Everything the emitter needs for one <c>[Delegates]</c> wrapper, as strings and equatable arrays (no symbols or
/// syntax), so the pipeline step stays cached until something that shows in the generated file changes.
/// </summary>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Hierarchy">The wrapper's type, where the overload and the bag go.</param>
/// <param name="Wrapper">The wrapper method.</param>
/// <param name="BagTypeName">The generated bag type (<c>{Method}Kwargs</c>), nested in the wrapper's type.</param>
/// <param name="BagParameterName">The wrapper's own name for its bag parameter.</param>
/// <param name="Keep">Whether the generated overload keeps the bag parameter (fastcore's <c>keep</c>).</param>
/// <param name="Target">The method the wrapper delegates to.</param>
/// <param name="Delegated">The target's optional parameters the generated overload adds, in the target's order.</param>
internal sealed record WrapperModel(
    string HintName,
    TypeHierarchy Hierarchy,
    MethodModel Wrapper,
    string BagTypeName,
    string BagParameterName,
    bool Keep,
    TargetModel Target,
    EquatableArray<ParameterModel> Delegated);

/// <summary>The wrapper's own signature and documentation, less its bag parameter.</summary>
/// <param name="Name">The method name.</param>
/// <param name="Modifiers">Accessibility and <c>static</c>, as written before the return type.</param>
/// <param name="Accessibility">The accessibility alone, given to the bag type too.</param>
/// <param name="ReturnType">The fully qualified return type, or <c>void</c>.</param>
/// <param name="TypeParameters">The type parameter list as written (<c>&lt;T&gt;</c>), or empty.</param>
/// <param name="Constraints">The constraint clauses as written, or empty.</param>
/// <param name="Parameters">The wrapper's parameters except the bag.</param>
/// <param name="LeadingDocumentation">The wrapper's <c>summary</c> and <c>typeparam</c> docs, one line each, written before the parameters.</param>
/// <param name="TrailingDocumentation">The wrapper's other docs (returns, remarks, example, …), written after the parameters.</param>
/// <param name="DocumentationId">The wrapper's documentation ID, for <c>inheritdoc</c> fallbacks.</param>
internal sealed record MethodModel(
    string Name,
    string Modifiers,
    string Accessibility,
    string ReturnType,
    string TypeParameters,
    string Constraints,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<string> LeadingDocumentation,
    EquatableArray<string> TrailingDocumentation,
    string DocumentationId);

/// <summary>The target as the bag's forwarding method calls it.</summary>
/// <param name="DisplayName">How diagnostics and docs name the target (<c>Canvas.ImShow(Tensor, string?)</c>).</param>
/// <param name="ContainingType">The fully qualified containing type.</param>
/// <param name="Name">The method name.</param>
/// <param name="IsStatic">Static targets are called on the type, instance targets on a receiver argument.</param>
/// <param name="ReturnType">The fully qualified return type, or <c>void</c>.</param>
/// <param name="TypeParameters">The target's type parameter list (<c>&lt;T&gt;</c>), or empty.</param>
/// <param name="Constraints">The target's constraint clauses, or empty.</param>
/// <param name="Forwarded">The target's parameters the wrapper passes itself (required ones, ones the wrapper declares, excluded ones), in order.</param>
/// <param name="DocumentationId">The target's documentation ID.</param>
internal sealed record TargetModel(
    string DisplayName,
    string ContainingType,
    string Name,
    bool IsStatic,
    string ReturnType,
    string TypeParameters,
    string Constraints,
    EquatableArray<ParameterModel> Forwarded,
    string DocumentationId);

/// <summary>One parameter, written back into a signature or a bag property.</summary>
/// <param name="Name">The parameter name, escaped if it is a keyword.</param>
/// <param name="PropertyName">The PascalCase bag property name.</param>
/// <param name="Type">The fully qualified type with nullable annotations.</param>
/// <param name="Modifier"><c>ref</c>, <c>out</c>, <c>in</c>, <c>this</c>, <c>params</c>, or empty.</param>
/// <param name="DefaultValue">The default value as a C# expression, or null for a required parameter.</param>
/// <param name="Documentation">The inner XML of its <c>&lt;param&gt;</c> doc, or null when not found yet.</param>
/// <param name="DocumentationOwner">Where the doc lives: the owning method's documentation ID and assembly, for the fallbacks.</param>
internal sealed record ParameterModel(
    string Name,
    string PropertyName,
    string Type,
    string Modifier,
    string? DefaultValue,
    string? Documentation,
    DocumentationOwner DocumentationOwner);

/// <summary>The method whose doc comment documents a parameter.</summary>
/// <param name="DocumentationId">The owner's documentation ID (<c>M:Ns.Type.Method(System.Int32)</c>).</param>
/// <param name="AssemblyName">The owner's assembly, whose XML documentation file may be an additional file.</param>
/// <param name="ParameterName">The parameter's name in the owner's doc comment (unescaped).</param>
internal sealed record DocumentationOwner(string DocumentationId, string AssemblyName, string ParameterName);
