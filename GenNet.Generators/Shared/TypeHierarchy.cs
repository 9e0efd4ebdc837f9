using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GenNet.Generators.Shared;

/// <summary>One type declaration of a <see cref="TypeHierarchy"/>, written back as <c>partial {Keyword} {Name}</c>.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="NameWithTypeParameters">The name with its type parameter list, e.g. <c>Box&lt;T&gt;</c>.</param>
internal sealed record TypeDeclarationModel(string Keyword, string NameWithTypeParameters);

/// <summary>
/// Where generated members go: a type's namespace and its chain of declarations, outermost first, ending with the type
/// itself (the MVVM Toolkit's <c>HierarchyInfo</c>). Both generators read it here, so a nested, generic or record type,
/// a keyword name and the generated file's name follow the same rules in each; it holds only strings, so a model that
/// carries it stays equatable and cached.
/// </summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="Types">The declarations from the outermost containing type to the type itself.</param>
/// <param name="FileNameBase">
/// The fully qualified metadata name, <c>Namespace.Outer+Inner`1</c>, as the MVVM Toolkit names its files: unique per
/// type (the arity tells <c>Box</c> from <c>Box&lt;T&gt;</c>), and accepted in hint names by every Roslyn that loads
/// these generators (4.14 and later).
/// </param>
internal sealed record TypeHierarchy(string? Namespace, EquatableArray<TypeDeclarationModel> Types, string FileNameBase)
{
    /// <summary>The hierarchy of <paramref name="type"/>.</summary>
    public static TypeHierarchy From(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null; t = t.ContainingType)
            chain.Insert(0, t);
        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        string metadataPath = string.Join("+", chain.Select(t => t.MetadataName));
        return new TypeHierarchy(
            ns,
            chain.Select(t => new TypeDeclarationModel(Keyword(t), NameWithTypeParameters(t))).ToEquatableArray(),
            ns is null ? metadataPath : ns + "." + metadataPath);
    }

    /// <summary>The generated file's hint name: <c>{FileNameBase}.{suffix}.g.cs</c>.</summary>
    public string HintName(string suffix) => FileNameBase + "." + suffix + ".g.cs";

    /// <summary>The type itself, the last of <see cref="Types"/>.</summary>
    public TypeDeclarationModel Self => Types[Types.Count - 1];

    /// <summary>
    /// Writes the namespace and the <c>partial</c> declarations down to the type itself, or, with
    /// <paramref name="includeSelf"/> false, down to its innermost containing type (for an emitter that writes the
    /// type's own declaration line itself). Close with <see cref="WriteClose"/> given the same flag.
    /// </summary>
    public void WriteOpen(SourceWriter w, bool includeSelf = true)
    {
        if (Namespace is not null)
            w.Line("namespace " + Namespace).Open();
        foreach (var type in Declarations(includeSelf))
            w.Line($"partial {type.Keyword} {type.NameWithTypeParameters}").Open();
    }

    /// <summary>Closes what <see cref="WriteOpen"/> opened.</summary>
    public void WriteClose(SourceWriter w, bool includeSelf = true)
    {
        foreach (var _ in Declarations(includeSelf))
            w.Close();
        if (Namespace is not null)
            w.Close();
    }

    private IEnumerable<TypeDeclarationModel> Declarations(bool includeSelf)
        => includeSelf ? Types : Types.Take(Types.Count - 1);

    /// <summary>
    /// <paramref name="type"/> and its containing types, innermost first, that are not partial: generated members can
    /// only be added to a type each of whose declarations says <c>partial</c> (a part without it is CS0260 anyway).
    /// A type declared only in metadata is never partial.
    /// </summary>
    public static IEnumerable<INamedTypeSymbol> NonPartialTypes(INamedTypeSymbol type, CancellationToken token)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var declarations = t.DeclaringSyntaxReferences.Select(r => r.GetSyntax(token)).OfType<TypeDeclarationSyntax>().ToList();
            if (declarations.Count == 0 || declarations.Any(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword)))
                yield return t;
        }
    }

    /// <summary><paramref name="name"/> as an identifier in generated code: a reserved keyword gets <c>@</c> (contextual ones need none).</summary>
    public static string EscapeIdentifier(string name)
        => SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(name)) ? "@" + name : name;

    /// <summary>The name with its type parameter list, e.g. <c>Box&lt;T&gt;</c>.</summary>
    public static string NameWithTypeParameters(INamedTypeSymbol type)
        => type.TypeParameters.IsEmpty
            ? EscapeIdentifier(type.Name)
            : $"{EscapeIdentifier(type.Name)}<{string.Join(", ", type.TypeParameters.Select(p => EscapeIdentifier(p.Name)))}>";

    private static string Keyword(INamedTypeSymbol type)
        => type.IsRecord
            ? type.TypeKind == TypeKind.Struct ? "record struct" : "record"
            : type.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Interface => "interface", _ => "class" };
}
