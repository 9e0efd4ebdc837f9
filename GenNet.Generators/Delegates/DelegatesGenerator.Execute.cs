using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Xml.Linq;
using GenNet.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GenNet.Generators.Delegates;

public sealed partial class DelegatesGenerator
{
    /// <summary>The symbol work: from the attributed method to a <see cref="WrapperModel"/> and diagnostics.</summary>
    internal static class Execute
    {
        private static readonly SymbolDisplayFormat TypeFormat = SymbolFormats.FullyQualifiedWithNullability;

        private static readonly SymbolDisplayFormat ShortFormat = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The attribute's arguments.</summary>
        private sealed record Spec(ITypeSymbol? TargetType, string MethodName, ImmutableArray<string> But, bool Keep, ImmutableArray<ITypeSymbol>? ParameterTypes);

        /// <summary>A parameter of a target's callable surface, with the method whose docs describe it.</summary>
        private sealed record SurfaceParameter(IParameterSymbol Parameter, IMethodSymbol Owner);

        public static DelegatesResult Analyze(GeneratorAttributeSyntaxContext context, CancellationToken token)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            var syntax = (MethodDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            try
            {
                var model = Analyze(method, syntax, context.Attributes[0], context.SemanticModel.Compilation, diagnostics, token);
                return new DelegatesResult(diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error) ? null : model,
                    diagnostics.ToEquatableArray());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new DelegatesResult(null, new[]
                {
                    DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), "[Delegates]", method.Name, e.Message),
                }.ToEquatableArray());
            }
        }

        private static WrapperModel? Analyze(IMethodSymbol method, MethodDeclarationSyntax syntax, AttributeData attribute,
            Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(token).GetLocation() ?? syntax.Identifier.GetLocation();
            var wrapperName = method.ToDisplayString(ShortFormat);

            if (syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp13 } options)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesUnsupportedWrapper, syntax.Identifier.GetLocation(), wrapperName,
                    $"it needs C# 13 or later (the generated overload takes precedence through [OverloadResolutionPriority]), and this is C# {options.LanguageVersion.ToDisplayString()}; set <LangVersion> to 13 or later"));
                return null;
            }

            var notPartial = TypeHierarchy.NonPartialTypes(method.ContainingType, token).FirstOrDefault();
            if (notPartial is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesWrapperNotInPartialType, syntax.Identifier.GetLocation(), method.Name, notPartial.Name));
                return null;
            }

            if (method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(IsWrapper) > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesUnsupportedWrapper, syntax.Identifier.GetLocation(), wrapperName,
                    $"another overload of '{method.Name}' also has [Delegates]; each wrapper gets a bag type named after it ({method.Name}Kwargs), so give the wrappers different names"));
                return null;
            }

            string bagTypeName = method.Name + "Kwargs";
            var bag = BagParameter(method);
            if (bag is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesMissingBagParameter, syntax.Identifier.GetLocation(), method.Name, bagTypeName));
                return null;
            }
            var own = method.Parameters.Where(p => !SymbolEqualityComparer.Default.Equals(p, bag)).ToList();

            var spec = ReadSpec(attribute);
            var target = Resolve(spec, method.ContainingType, compilation, attributeLocation, wrapperName, diagnostics);
            if (target is null)
                return null;

            var chain = new List<IMethodSymbol> { method.OriginalDefinition };
            var surface = Surface(target, compilation, chain, out var cycle, token);
            if (cycle is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesCycle, attributeLocation, wrapperName,
                    string.Join(" → ", cycle.Select(m => m.ToDisplayString(ShortFormat)))));
                return null;
            }

            var (delegated, forwarded) = Partition(surface, own, spec, target, bagTypeName, wrapperName, attributeLocation, diagnostics, token);

            if (spec.Keep && delegated.Count > 0 && delegated[0].Type is "object" or "object?" or "dynamic" or "dynamic?" or "global::System.ValueType" or "global::System.ValueType?")
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesUnsupportedWrapper, attributeLocation, wrapperName,
                    $"with Keep = true the first delegated parameter ('{delegated[0].Name}') must not be of type object, since the kwargs bag converts to it; exclude it with But"));

            var wrapperDocs = Documentation.Read(method, token);
            var wrapperModel = new MethodModel(
                Name: method.Name,
                Modifiers: AccessibilityText(method.DeclaredAccessibility) + (method.IsStatic ? " static" : ""),
                Accessibility: AccessibilityText(method.DeclaredAccessibility),
                ReturnType: method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(TypeFormat),
                TypeParameters: TypeParameterList(method.TypeParameters),
                Constraints: ConstraintClauses(method.TypeParameters),
                Parameters: own.Select(p => Parameter(p, Documentation.Parameter(wrapperDocs, p.Name), null)).ToEquatableArray(),
                LeadingDocumentation: Documentation.OtherElements(wrapperDocs, leading: true).ToEquatableArray(),
                TrailingDocumentation: Documentation.OtherElements(wrapperDocs, leading: false).ToEquatableArray(),
                DocumentationId: DocumentationId(method));

            var targetModel = new TargetModel(
                DisplayName: target.ToDisplayString(ShortFormat),
                ContainingType: target.ContainingType.ToDisplayString(TypeFormat),
                Name: target.Name,
                IsStatic: target.IsStatic,
                ReturnType: target.ReturnsVoid ? "void" : target.ReturnType.ToDisplayString(TypeFormat),
                TypeParameters: TypeParameterList(target.TypeParameters),
                Constraints: ConstraintClauses(target.TypeParameters),
                Forwarded: forwarded.ToEquatableArray(),
                DocumentationId: DocumentationId(target));

            var hierarchy = TypeHierarchy.From(method.ContainingType);
            return new WrapperModel(
                HintName: hierarchy.HintName(method.Name + ".Delegates"),
                Hierarchy: hierarchy,
                Wrapper: wrapperModel,
                BagTypeName: bagTypeName,
                BagParameterName: TypeHierarchy.EscapeIdentifier(bag.Name),
                Keep: spec.Keep,
                Target: targetModel,
                Delegated: delegated.ToEquatableArray());
        }

        /// <summary>
        /// Splits the target's callable parameters (fastcore's rule): those the wrapper declares itself, required ones
        /// and excluded ones are forwarded by the wrapper; the other optional ones are delegated to callers.
        /// </summary>
        private static (List<ParameterModel> Delegated, List<ParameterModel> Forwarded) Partition(List<SurfaceParameter> surface,
            List<IParameterSymbol> own, Spec spec, IMethodSymbol target, string bagTypeName, string wrapperName, Location? attributeLocation,
            List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            var ownByName = own.ToDictionary(p => p.Name);
            var but = new HashSet<string>(spec.But);
            foreach (var name in spec.But.Where(n => !surface.Any(s => s.Parameter.Name == n)))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesUnknownExcludedParameter, attributeLocation, name, target.ToDisplayString(ShortFormat)));

            var docs = new Dictionary<IMethodSymbol, XElement?>(SymbolEqualityComparer.Default);
            var delegated = new List<ParameterModel>();
            var forwarded = new List<ParameterModel>();
            var propertyNames = new HashSet<string>(StringComparer.Ordinal) { bagTypeName, target.Name, "Merge", "Equals", "GetHashCode", "ToString", "GetType" };
            string targetName = target.ToDisplayString(ShortFormat);
            foreach (var (parameter, owner) in surface)
            {
                token.ThrowIfCancellationRequested();
                var doc = Doc(parameter, owner, docs, token);
                if (ownByName.TryGetValue(parameter.Name, out var mine))
                {
                    // A type using the target's type parameters is inferred from what the wrapper passes; otherwise
                    // compare by name as well as by symbol, since a generic wrapper's T is not the target's T.
                    if (UsesMethodTypeParameter(parameter.Type) is null
                        && !SymbolEqualityComparer.Default.Equals(mine.Type, parameter.Type)
                        && mine.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) != parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesParameterTypeClash, mine.Locations.FirstOrDefault(),
                            mine.Name, wrapperName, mine.Type.ToDisplayString(ShortFormat), targetName, parameter.Type.ToDisplayString(ShortFormat)));
                    forwarded.Add(Parameter(parameter, doc, null));
                    continue;
                }
                if (!parameter.IsOptional || but.Contains(parameter.Name))
                {
                    forwarded.Add(Parameter(parameter, doc, null));
                    continue;
                }
                string? problem = parameter.RefKind != RefKind.None
                    ? $"it is passed by reference ({RefKindText(parameter.RefKind)}); exclude it with But = new[] {{ \"{parameter.Name}\" }} or declare it on the wrapper"
                    : UsesMethodTypeParameter(parameter.Type) is { } typeParameter
                        ? $"its type uses the target's type parameter '{typeParameter}'; exclude it with But or declare it on the wrapper"
                        : DefaultValue(parameter) is null
                            ? "its default value cannot be written in C#; exclude it with But or declare it on the wrapper"
                            : null;
                if (problem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesUnsupportedParameter, attributeLocation, parameter.Name, targetName, problem));
                    continue;
                }
                delegated.Add(Parameter(parameter, doc, UniqueName(PascalCase(parameter.Name), propertyNames)));
            }
            return (delegated, forwarded);
        }

        /// <summary>Fills in parameter docs that only a referenced assembly's XML documentation file has.</summary>
        public static WrapperModel AddReferenceDocumentation(WrapperModel model, ImmutableArray<AdditionalText> files, CancellationToken token)
        {
            if (files.IsEmpty || !model.Delegated.Concat(model.Target.Forwarded).Any(p => p.Documentation is null))
                return model;
            var parsed = new Dictionary<string, XDocument?>(StringComparer.OrdinalIgnoreCase);
            ParameterModel Fill(ParameterModel p)
            {
                token.ThrowIfCancellationRequested();
                if (p.Documentation is not null)
                    return p;
                var owner = p.DocumentationOwner;
                if (!parsed.TryGetValue(owner.AssemblyName, out var file))
                {
                    var text = files.FirstOrDefault(f => string.Equals(Path.GetFileNameWithoutExtension(f.Path), owner.AssemblyName, StringComparison.OrdinalIgnoreCase))
                        ?.GetText(token)?.ToString();
                    parsed[owner.AssemblyName] = file = text is null ? null : Documentation.ParseFile(text);
                }
                return file is null ? p : p with { Documentation = Documentation.Parameter(Documentation.FindMember(file, owner.DocumentationId), owner.ParameterName) };
            }
            try
            {
                return model with
                {
                    Delegated = model.Delegated.Select(Fill).ToEquatableArray(),
                    Target = model.Target with { Forwarded = model.Target.Forwarded.Select(Fill).ToEquatableArray() },
                };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return model; // an unreadable documentation file only costs the docs (the inheritdoc fallback remains)
            }
        }

        /// <summary>
        /// A method's documentation ID. While generating, the bag type of a wrapper in this compilation does not exist
        /// yet, so the compiler's ID names it without its containing type; the generated type's full name is put in
        /// its place.
        /// </summary>
        private static string DocumentationId(IMethodSymbol method)
        {
            string id = method.OriginalDefinition.GetDocumentationCommentId() ?? "";
            var bag = BagParameter(method);
            if (bag is null || bag.Type.TypeKind != TypeKind.Error || !id.EndsWith(bag.Type.Name + ")", StringComparison.Ordinal))
                return id;
            string owner = (method.ContainingType.OriginalDefinition.GetDocumentationCommentId() ?? "T:").Substring(2);
            return id.Substring(0, id.Length - bag.Type.Name.Length - 1) + owner + "." + bag.Type.Name + ")";
        }

        private static bool IsWrapper(IMethodSymbol method)
            => method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AttributeMetadataName);

        private static bool IsGeneratedOverload(IMethodSymbol method)
            => method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
                && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == ToolName);

        /// <summary>The wrapper's last parameter when it is of the bag type <c>{Method}Kwargs</c> (not yet declared while generating, declared in a referenced assembly).</summary>
        private static IParameterSymbol? BagParameter(IMethodSymbol method)
        {
            var last = method.Parameters.LastOrDefault();
            return last is not null && last.RefKind == RefKind.None && last.Type.Name == method.Name + "Kwargs"
                && (last.Type.TypeKind == TypeKind.Error || SymbolEqualityComparer.Default.Equals(last.Type.ContainingType, method.ContainingType))
                ? last
                : null;
        }

        private static Spec ReadSpec(AttributeData attribute)
        {
            var args = attribute.ConstructorArguments;
            ITypeSymbol? targetType = args.Length == 2 ? args[0].Value as ITypeSymbol : null;
            string name = (args.Length == 2 ? args[1].Value : args.Length == 1 ? args[0].Value : null) as string ?? "";
            var but = ImmutableArray<string>.Empty;
            bool keep = false;
            ImmutableArray<ITypeSymbol>? parameterTypes = null;
            foreach (var named in attribute.NamedArguments)
            {
                switch (named.Key)
                {
                    case "But" when !named.Value.IsNull:
                        but = named.Value.Values.Select(v => v.Value as string).Where(v => v is not null).Select(v => v!).ToImmutableArray();
                        break;
                    case "Keep":
                        keep = named.Value.Value is true;
                        break;
                    case "ParameterTypes" when !named.Value.IsNull:
                        parameterTypes = named.Value.Values.Select(v => v.Value as ITypeSymbol).Where(v => v is not null).Select(v => v!).ToImmutableArray();
                        break;
                }
            }
            return new Spec(targetType, name, but, keep, parameterTypes);
        }

        /// <summary>Finds the one method the spec names, reporting why when there is not exactly one accessible.</summary>
        private static IMethodSymbol? Resolve(Spec spec, INamedTypeSymbol wrapperType, Compilation compilation, Location? location,
            string wrapperName, List<DiagnosticInfo>? diagnostics)
        {
            var type = spec.TargetType ?? wrapperType;
            string typeName = type.ToDisplayString(ShortFormat);
            if (type is INamedTypeSymbol { IsUnboundGenericType: true })
            {
                diagnostics?.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesTargetNotFound, location, typeName + " (an open generic type; use a constructed one such as typeof(Box<int>))", spec.MethodName));
                return null;
            }
            var candidates = new List<IMethodSymbol>();
            for (var t = type; t is not null && type.TypeKind != TypeKind.Error; t = t.BaseType)
                candidates.AddRange(t.GetMembers(spec.MethodName).OfType<IMethodSymbol>()
                    .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsOverride && !IsGeneratedOverload(m)));
            if (spec.ParameterTypes is { } leading)
                candidates = candidates.Where(m => m.Parameters.Length >= leading.Length
                    && leading.Select((t, i) => SymbolEqualityComparer.Default.Equals(m.Parameters[i].Type, t)).All(same => same)).ToList();
            if (candidates.Count == 0)
            {
                diagnostics?.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesTargetNotFound, location, typeName,
                    spec.ParameterTypes is null ? spec.MethodName : spec.MethodName + " with the given ParameterTypes"));
                return null;
            }
            var accessible = candidates.Where(m => compilation.IsSymbolAccessibleWithin(m, wrapperType)).ToList();
            if (accessible.Count == 0)
            {
                diagnostics?.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesInaccessibleTarget, location, candidates[0].ToDisplayString(ShortFormat), wrapperType.ToDisplayString(ShortFormat), wrapperName));
                return null;
            }
            if (accessible.Count > 1)
            {
                diagnostics?.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DelegatesAmbiguousTarget, location, typeName + "." + spec.MethodName, accessible.Count,
                    string.Join(", ", accessible.Select(m => m.ToDisplayString(ShortFormat)))));
                return null;
            }
            return accessible[0];
        }

        /// <summary>
        /// The parameters a caller of <paramref name="method"/> can pass: its own, and, when it is itself a
        /// <c>[Delegates]</c> wrapper, those its generated overload adds in place of its bag (chains, recursively).
        /// </summary>
        private static List<SurfaceParameter> Surface(IMethodSymbol method, Compilation compilation, List<IMethodSymbol> chain,
            out List<IMethodSymbol>? cycle, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            cycle = null;
            var original = method.OriginalDefinition;
            if (chain.Contains(original, SymbolEqualityComparer.Default))
            {
                cycle = chain.Concat(new[] { original }).ToList();
                return new List<SurfaceParameter>();
            }
            var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == AttributeMetadataName);
            var bag = attribute is null ? null : BagParameter(method);
            var own = method.Parameters.Where(p => !SymbolEqualityComparer.Default.Equals(p, bag)).Select(p => new SurfaceParameter(p, method)).ToList();
            if (attribute is null || bag is null)
                return own;

            var spec = ReadSpec(attribute);
            var next = Resolve(spec, method.ContainingType, compilation, null, "", diagnostics: null);
            if (next is null)
                return own; // the chained wrapper reports its own problem
            var inner = Surface(next, compilation, chain.Concat(new[] { original }).ToList(), out cycle, token);
            var names = new HashSet<string>(own.Select(p => p.Parameter.Name).Concat(spec.But));
            own.AddRange(inner.Where(s => s.Parameter.IsOptional && s.Parameter.RefKind == RefKind.None && !names.Contains(s.Parameter.Name)));
            return own;
        }

        private static string? Doc(IParameterSymbol parameter, IMethodSymbol owner, Dictionary<IMethodSymbol, XElement?> cache, CancellationToken token)
        {
            if (!cache.TryGetValue(owner, out var member))
                cache[owner] = member = Documentation.Read(owner.OriginalDefinition, token);
            return Documentation.Parameter(member, parameter.Name);
        }

        private static ParameterModel Parameter(IParameterSymbol p, string? doc, string? propertyName)
        {
            string? defaultValue = p.IsOptional ? DefaultValue(p) : null;
            var type = p.Type;
            // A null default needs a nullable type under #nullable enable, even when the target was compiled oblivious.
            if (defaultValue == "null" && type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.Annotated)
                type = type.WithNullableAnnotation(NullableAnnotation.Annotated);
            string modifier = p.IsParams ? "params" : p.IsThis ? "this" : RefKindText(p.RefKind);
            var owner = (IMethodSymbol)p.ContainingSymbol;
            return new ParameterModel(
                Name: TypeHierarchy.EscapeIdentifier(p.Name),
                PropertyName: propertyName ?? "",
                Type: type.ToDisplayString(TypeFormat),
                Modifier: modifier,
                DefaultValue: defaultValue,
                Documentation: doc,
                DocumentationOwner: new DocumentationOwner(DocumentationId(owner), owner.ContainingAssembly?.Name ?? "", p.Name));
        }

        /// <summary>The parameter's default as a C# expression, or null when C# cannot write it (e.g. a DateTime constant).</summary>
        internal static string? DefaultValue(IParameterSymbol p)
        {
            if (!p.HasExplicitDefaultValue)
                return p.IsOptional ? "default" : null;
            var value = p.ExplicitDefaultValue;
            var type = p.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                ? nullable.TypeArguments[0]
                : p.Type;
            if (value is null)
                return p.Type.IsValueType && p.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
            {
                var member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                string enumName = enumType.ToDisplayString(TypeFormat);
                return member is not null
                    ? enumName + "." + TypeHierarchy.EscapeIdentifier(member.Name)
                    : "(" + enumName + ")(" + Primitive(value) + ")";
            }
            return Primitive(value);
        }

        private static string? Primitive(object value) => value switch
        {
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            bool b => b ? "true" : "false",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
            float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
            uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
            int or short or ushort or byte or sbyte => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => null,
        };

        private static string? UsesMethodTypeParameter(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } t => t.Name,
            IArrayTypeSymbol array => UsesMethodTypeParameter(array.ElementType),
            IPointerTypeSymbol pointer => UsesMethodTypeParameter(pointer.PointedAtType),
            INamedTypeSymbol named => named.TypeArguments.Select(UsesMethodTypeParameter).FirstOrDefault(n => n is not null),
            _ => null,
        };

        private static string RefKindText(RefKind kind) => kind switch
        {
            RefKind.Ref => "ref",
            RefKind.Out => "out",
            RefKind.In => "in",
            (RefKind)4 => "ref readonly", // RefKind.RefReadOnlyParameter, named only in newer Roslyn versions
            _ => "",
        };

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        private static string TypeParameterList(ImmutableArray<ITypeParameterSymbol> typeParameters)
            => typeParameters.IsEmpty ? "" : "<" + string.Join(", ", typeParameters.Select(t => t.Name)) + ">";

        private static string ConstraintClauses(ImmutableArray<ITypeParameterSymbol> typeParameters)
            => string.Join(" ", typeParameters.Select(t =>
            {
                var parts = new List<string>();
                if (t.HasReferenceTypeConstraint) parts.Add(t.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
                if (t.HasUnmanagedTypeConstraint) parts.Add("unmanaged");
                else if (t.HasValueTypeConstraint) parts.Add("struct");
                if (t.HasNotNullConstraint) parts.Add("notnull");
                parts.AddRange(t.ConstraintTypes.Select(c => c.ToDisplayString(TypeFormat)));
                if (t.HasConstructorConstraint && !t.HasValueTypeConstraint) parts.Add("new()");
                return parts.Count == 0 ? "" : $"where {t.Name} : {string.Join(", ", parts)}";
            }).Where(c => c.Length > 0));

        private static string PascalCase(string name)
        {
            var parts = name.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries);
            string result = string.Concat(parts.Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));
            return result.Length == 0 ? "Value" : result;
        }

        private static string UniqueName(string name, HashSet<string> used)
        {
            string candidate = name;
            for (int i = 2; !used.Add(candidate); i++)
                candidate = name + i.ToString(CultureInfo.InvariantCulture);
            return candidate;
        }
    }
}
