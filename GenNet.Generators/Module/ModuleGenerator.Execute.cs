using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using GenNet.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GenNet.Generators.Module;

public sealed partial class ModuleGenerator
{
    /// <summary>
    /// The semantic half of the generator: reads a [Module] class's symbol and syntax once and turns them into an
    /// equatable <see cref="ModuleResult"/>. Nothing here throws to the compiler: unexpected failures become GN0900.
    /// </summary>
    internal static class Execute
    {
        private static readonly SymbolDisplayFormat TypeFormat = SymbolFormats.FullyQualifiedWithNullability;

        /// <summary>Analyzes the class that carries the attribute.</summary>
        public static ModuleResult Analyze(GeneratorAttributeSyntaxContext context, CancellationToken token)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();
            try
            {
                var model = Build(type, (ClassDeclarationSyntax)context.TargetNode, new KnownTypes(context.SemanticModel.Compilation), diagnostics, token);
                return new ModuleResult(model, diagnostics.ToEquatableArray());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                var failure = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, type.Locations.FirstOrDefault(), "[Module]", type.Name, e.Message);
                return new ModuleResult(null, new[] { failure }.ToEquatableArray());
            }
        }

        private static ModuleModel? Build(INamedTypeSymbol type, ClassDeclarationSyntax syntax, KnownTypes known,
            List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            bool fatal = false;
            foreach (var t in TypeHierarchy.NonPartialTypes(type, token))
            {
                var where = SymbolEqualityComparer.Default.Equals(t, type) ? syntax.Identifier.GetLocation() : t.Locations.FirstOrDefault();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleNotPartial, where, t.Name, type.Name));
                fatal = true;
            }
            if (known.Module is null || !known.IsModule(type))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleNotAModule, syntax.Identifier.GetLocation(), type.Name));
                return null;
            }

            // Registered names of [Module] base classes come first: their members are declared (and registered) first.
            var order = new List<string>();
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            bool baseIsGenerated = false;
            var bases = new List<INamedTypeSymbol>();
            for (var b = type.BaseType; b is not null && !known.IsTorchSharpType(b); b = b.BaseType)
                bases.Add(b);
            // Custom bases above the nearest [Module] base are that class's concern, and reported there.
            int nearestGenerated = bases.FindIndex(known.HasModuleAttribute);
            foreach (var b in bases.Take(nearestGenerated < 0 ? bases.Count : nearestGenerated))
            {
                var unregistered = UnregisteredMembers(b, known, token);
                if (unregistered.Count > 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleUnregisteredBaseMembers, syntax.Identifier.GetLocation(),
                        b.Name, type.Name, string.Join(", ", unregistered.Select(n => $"'{n}'"))));
            }
            foreach (var b in Enumerable.Reverse(bases).Where(known.HasModuleAttribute))
            {
                token.ThrowIfCancellationRequested();
                baseIsGenerated = true;
                foreach (var member in CollectMembers(b, known, null, token))
                    if (!owners.ContainsKey(member.RegisteredName))
                    {
                        owners.Add(member.RegisteredName, $"{b.Name}.{member.Name}");
                        order.Add(member.RegisteredName);
                    }
            }

            var members = new List<MemberModel>();
            foreach (var member in CollectMembers(type, known, diagnostics, token))
            {
                if (owners.TryGetValue(member.RegisteredName, out var first))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleDuplicateName, member.Location, first, member.Name, member.RegisteredName));
                    continue;
                }
                owners.Add(member.RegisteredName, member.Name);
                order.Add(member.RegisteredName);
                members.Add(member.Model);
            }

            bool hasTensors = members.Any(m => m.Kind == MemberKind.Tensor);
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.Name == "RegisterComponents" && method.Parameters.Length == 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleConflictingMember, method.Locations.FirstOrDefault(), type.Name, "RegisterComponents()"));
                    fatal = true;
                }
                else if (hasTensors && ((method.Name == "_toEpilog" && method.Parameters.Length == 3) || (method.Name == "named_buffers" && method.Parameters.Length == 2)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleConflictingMember, method.Locations.FirstOrDefault(), type.Name, method.Name + "()"));
                    fatal = true;
                }
            }

            var fields = members.Where(m => m.Storage != MemberStorage.PartialProperty).Select(m => m.Name).ToList();
            if (fields.Count > 0)
                CheckConstructorsRegister(type, fields, diagnostics, token);

            if (fatal)
                return null;

            bool emitToString = !type.GetMembers("ToString").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 0 && m.IsOverride);
            var hierarchy = TypeHierarchy.From(type);
            return new ModuleModel(
                hierarchy.HintName("Module"),
                hierarchy,
                type.Name,
                baseIsGenerated,
                order.ToEquatableArray(),
                members.ToEquatableArray(),
                HasExtraRepr(type, known, diagnostics),
                emitToString);
        }

        /// <summary>A member found by <see cref="CollectMembers"/>, with what diagnostics need.</summary>
        private sealed record FoundMember(MemberModel Model, Location? Location)
        {
            public string Name => Model.Name;
            public string RegisteredName => Model.RegisteredName;
        }

        // Classifies every member of one class in declaration order. Diagnostics are reported only for the class being
        // generated (diagnostics != null); base classes are read for their names.
        private static List<FoundMember> CollectMembers(INamedTypeSymbol type, KnownTypes known, List<DiagnosticInfo>? diagnostics, CancellationToken token)
        {
            var found = new List<FoundMember>();
            foreach (var symbol in type.GetMembers())
            {
                token.ThrowIfCancellationRequested();
                ITypeSymbol memberType;
                switch (symbol)
                {
                    case IFieldSymbol { IsImplicitlyDeclared: false, IsConst: false } field:
                        memberType = field.Type;
                        break;
                    case IPropertySymbol { IsIndexer: false } declared:
                        memberType = declared.Type;
                        break;
                    default:
                        continue;
                }
                var location = symbol.Locations.FirstOrDefault();
                var kind = known.Classify(memberType, out string collection);
                var attributes = MemberAttributes.Read(symbol, known);

                if (attributes.NotRegistered)
                {
                    if (attributes.Name is not null || attributes.NonPersistent)
                        Report(DiagnosticDescriptors.ModuleAttributeHasNoEffect, location, attributes.Name is not null ? "RegisterAs" : "NonPersistent", symbol.Name, "the member is [NotRegistered]");
                    continue;
                }
                if (kind is TypeKindClass.None or TypeKindClass.Collection or TypeKindClass.OpenTypeParameter)
                {
                    if (attributes.Name is not null || attributes.NonPersistent)
                        Report(DiagnosticDescriptors.ModuleAttributeHasNoEffect, location, attributes.Name is not null ? "RegisterAs" : "NonPersistent", symbol.Name,
                            $"its type '{memberType.ToDisplayString()}' is neither a module nor a tensor");
                }
                if (kind == TypeKindClass.None)
                    continue;
                string what = kind == TypeKindClass.Tensor ? "tensor" : "module";
                if (symbol.IsStatic)
                {
                    Report(DiagnosticDescriptors.ModuleStaticMember, location, symbol.Name, kind == TypeKindClass.Collection ? "collection of modules" : what);
                    continue;
                }
                if (kind == TypeKindClass.Collection)
                {
                    Report(DiagnosticDescriptors.ModuleCollectionOfModules, location, symbol.Name, collection);
                    continue;
                }
                if (kind == TypeKindClass.OpenTypeParameter)
                {
                    Report(DiagnosticDescriptors.ModuleUnconstrainedTypeParameter, location, symbol.Name, memberType.Name);
                    continue;
                }
                if (attributes.NonPersistent && kind != TypeKindClass.Tensor)
                    Report(DiagnosticDescriptors.ModuleAttributeHasNoEffect, location, "NonPersistent", symbol.Name, "only tensors (buffers) can be non-persistent");

                MemberStorage storage;
                string modifiers = "";
                var accessors = EquatableArray<AccessorModel>.Empty;
                if (symbol is IPropertySymbol property)
                {
                    var declaration = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(token)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
                    if (property.IsPartialDefinition && property.PartialImplementationPart is null && declaration?.AccessorList is { } accessorList)
                    {
                        if (property.SetMethod is null || property.SetMethod.IsInitOnly)
                        {
                            Report(DiagnosticDescriptors.ModulePropertyNeedsSetter, location, symbol.Name, what);
                            continue;
                        }
                        storage = MemberStorage.PartialProperty;
                        modifiers = string.Join(" ", declaration.Modifiers.Select(m => m.Text));
                        accessors = accessorList.Accessors
                            .Select(a => new AccessorModel(string.Join(" ", a.Modifiers.Select(m => m.Text)), a.Keyword.Text))
                            .ToEquatableArray();
                    }
                    else
                    {
                        if (declaration is not null && IsAutoProperty(declaration))
                            Report(DiagnosticDescriptors.ModuleAutoProperty, location, symbol.Name, what);
                        continue; // computed or user-implemented: it returns something registered elsewhere, if anything
                    }
                }
                else
                {
                    storage = ((IFieldSymbol)symbol).IsReadOnly ? MemberStorage.ReadOnlyField : MemberStorage.Field;
                }

                string registered = attributes.Name ?? RegisteredName(symbol.Name);
                if (registered.Length == 0 || registered.IndexOf('.') >= 0)
                {
                    Report(DiagnosticDescriptors.ModuleInvalidName, location, registered, symbol.Name);
                    continue;
                }
                var memberKind = kind switch
                {
                    TypeKindClass.Module => MemberKind.Module,
                    TypeKindClass.ModuleInterface => MemberKind.ModuleInterface,
                    _ => MemberKind.Tensor,
                };
                var model = new MemberModel(
                    TypeHierarchy.EscapeIdentifier(symbol.Name),
                    registered,
                    memberKind,
                    storage,
                    memberType.ToDisplayString(TypeFormat),
                    !attributes.NonPersistent,
                    modifiers,
                    accessors);
                found.Add(new FoundMember(model, location));
            }
            return found;

            void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments)
            {
                diagnostics?.Add(DiagnosticInfo.Create(descriptor, location, arguments));
            }
        }

        // Instance members of a custom, non-[Module] base class that TorchSharp's reflection would have registered.
        private static List<string> UnregisteredMembers(INamedTypeSymbol type, KnownTypes known, CancellationToken token)
        {
            var names = new List<string>();
            foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
            {
                token.ThrowIfCancellationRequested();
                if (field.IsStatic || field.IsConst || MemberAttributes.Read(field, known).NotRegistered)
                    continue;
                if (known.Classify(field.Type, out _) is TypeKindClass.Module or TypeKindClass.ModuleInterface or TypeKindClass.Tensor)
                    names.Add(field.AssociatedSymbol?.Name ?? field.Name);
            }
            return names;
        }

        private static bool IsAutoProperty(PropertyDeclarationSyntax declaration)
            => declaration.ExpressionBody is null
               && declaration.AccessorList is { } list
               && list.Accessors.All(a => a.Body is null && a.ExpressionBody is null)
               && !declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.AbstractKeyword) || m.IsKind(SyntaxKind.ExternKeyword));

        private static void CheckConstructorsRegister(INamedTypeSymbol type, List<string> fields, List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            string list = string.Join(", ", fields.Select(f => $"'{f.TrimStart('@')}'"));
            foreach (var constructor in type.InstanceConstructors)
            {
                token.ThrowIfCancellationRequested();
                if (constructor.IsImplicitlyDeclared)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleMissingRegisterComponents, type.Locations.FirstOrDefault(), type.Name, list));
                    continue;
                }
                var declaration = constructor.DeclaringSyntaxReferences.Select(r => r.GetSyntax(token)).OfType<ConstructorDeclarationSyntax>().FirstOrDefault();
                if (declaration is null || declaration.Initializer?.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword) == true)
                    continue; // a record's primary constructor, or a constructor that chains to one that registers
                bool calls = declaration.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(invocation => invocation.Expression switch
                {
                    IdentifierNameSyntax name => name.Identifier.Text == "RegisterComponents",
                    MemberAccessExpressionSyntax access => access.Name.Identifier.Text == "RegisterComponents",
                    _ => false,
                });
                if (!calls)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleMissingRegisterComponents, declaration.Identifier.GetLocation(), type.Name, list));
            }
        }

        private static bool HasExtraRepr(INamedTypeSymbol type, KnownTypes known, List<DiagnosticInfo> diagnostics)
        {
            for (INamedTypeSymbol? t = type; t is not null && !known.IsTorchSharpType(t); t = t.BaseType)
            {
                foreach (var method in t.GetMembers("ExtraRepr").OfType<IMethodSymbol>())
                {
                    bool usable = !method.IsStatic && method.Parameters.Length == 0 && method.ReturnType.SpecialType == SpecialType.System_String;
                    if (ReferenceEquals(t, type))
                    {
                        if (usable)
                            return true;
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModuleInvalidExtraRepr, method.Locations.FirstOrDefault(), type.Name));
                    }
                    else if (usable && method.DeclaredAccessibility != Accessibility.Private)
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        /// <summary>
        /// The registered name for a member: snake_case of its name without a leading <c>m_</c> or underscores, so
        /// <c>L1</c> → <c>l1</c>, <c>HiddenLayer</c> → <c>hidden_layer</c>, <c>_head</c> → <c>head</c>,
        /// <c>HTTPProxy</c> → <c>http_proxy</c>.
        /// </summary>
        internal static string RegisteredName(string name)
        {
            if (name.StartsWith("m_", StringComparison.Ordinal))
                name = name.Substring(2);
            name = name.TrimStart('_');
            var text = new StringBuilder(name.Length + 4);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsUpper(c))
                {
                    bool boundary = i > 0 && name[i - 1] != '_' &&
                                    (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) ||
                                     (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
                    if (boundary)
                        text.Append('_');
                    text.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    text.Append(c);
                }
            }
            return text.ToString();
        }
    }

    /// <summary>What a member's type makes it, for registration.</summary>
    internal enum TypeKindClass
    {
        None,
        Module,
        ModuleInterface,
        Tensor,
        Collection,
        OpenTypeParameter,
    }

    /// <summary>The GenNet and TorchSharp attributes on one member.</summary>
    private readonly struct MemberAttributes
    {
        public string? Name { get; init; }
        public bool NotRegistered { get; init; }
        public bool NonPersistent { get; init; }

        public static MemberAttributes Read(ISymbol symbol, KnownTypes known)
        {
            string? name = null;
            bool notRegistered = false, nonPersistent = false;
            foreach (var attribute in symbol.GetAttributes())
            {
                var type = attribute.AttributeClass;
                if (Is(type, known.RegisterAs) && attribute.ConstructorArguments.Length == 1)
                    name = attribute.ConstructorArguments[0].Value as string ?? "";
                else if (Is(type, known.ComponentName))
                    name ??= attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string;
                else if (Is(type, known.NotRegistered))
                    notRegistered = true;
                else if (Is(type, known.NonPersistent))
                    nonPersistent = true;
            }
            return new MemberAttributes { Name = name, NotRegistered = notRegistered, NonPersistent = nonPersistent };

            static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected)
                => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
        }
    }

    /// <summary>The TorchSharp and GenNet types the analysis compares against, looked up once per class.</summary>
    private sealed class KnownTypes
    {
        public KnownTypes(Compilation compilation)
        {
            Module = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module");
            Tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
            ComponentName = compilation.GetTypeByMetadataName("TorchSharp.Utils.ComponentNameAttribute");
            ModuleAttribute = compilation.GetTypeByMetadataName(AttributeMetadataName);
            RegisterAs = compilation.GetTypeByMetadataName("GenNet.RegisterAsAttribute");
            NotRegistered = compilation.GetTypeByMetadataName("GenNet.NotRegisteredAttribute");
            NonPersistent = compilation.GetTypeByMetadataName("GenNet.NonPersistentAttribute");
        }

        public INamedTypeSymbol? Module { get; }
        public INamedTypeSymbol? Tensor { get; }
        public INamedTypeSymbol? ComponentName { get; }
        public INamedTypeSymbol? ModuleAttribute { get; }
        public INamedTypeSymbol? RegisterAs { get; }
        public INamedTypeSymbol? NotRegistered { get; }
        public INamedTypeSymbol? NonPersistent { get; }

        public bool IsModule(ITypeSymbol type) => DerivesFrom(type, Module);

        public bool IsTorchSharpType(INamedTypeSymbol type)
            => Module is not null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, Module.ContainingAssembly);

        public bool HasModuleAttribute(INamedTypeSymbol type)
            => type.OriginalDefinition.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, ModuleAttribute));

        public TypeKindClass Classify(ITypeSymbol type, out string collection)
        {
            collection = "";
            switch (type)
            {
                case ITypeParameterSymbol parameter:
                    foreach (var constraint in parameter.ConstraintTypes)
                    {
                        var kind = Classify(constraint, out _);
                        if (kind is TypeKindClass.Module or TypeKindClass.ModuleInterface or TypeKindClass.Tensor)
                            return kind;
                    }
                    return TypeKindClass.OpenTypeParameter;
                case IArrayTypeSymbol array:
                    collection = "array";
                    return IsModuleLike(array.ElementType) ? TypeKindClass.Collection : TypeKindClass.None;
                case INamedTypeSymbol named:
                    if (DerivesFrom(named, Module))
                        return TypeKindClass.Module;
                    if (DerivesFrom(named, Tensor))
                        return TypeKindClass.Tensor;
                    if (IsModuleInterface(named))
                        return TypeKindClass.ModuleInterface;
                    var sequences = named.TypeKind == TypeKind.Interface ? named.AllInterfaces.Add(named) : named.AllInterfaces;
                    foreach (var sequence in sequences)
                    {
                        if (sequence.OriginalDefinition.SpecialType != SpecialType.System_Collections_Generic_IEnumerable_T)
                            continue;
                        var element = sequence.TypeArguments[0];
                        // Dictionaries enumerate key/value pairs; the value decides.
                        if (element is INamedTypeSymbol { IsGenericType: true, Name: "KeyValuePair" or "ValueTuple" } pair)
                            element = pair.TypeArguments[pair.TypeArguments.Length - 1];
                        if (IsModuleLike(element))
                        {
                            collection = named.Name;
                            return TypeKindClass.Collection;
                        }
                    }
                    return TypeKindClass.None;
                default:
                    return TypeKindClass.None;
            }
        }

        private bool IsModuleLike(ITypeSymbol type)
            => Classify(type, out _) is TypeKindClass.Module or TypeKindClass.ModuleInterface;

        private static bool IsModuleInterface(INamedTypeSymbol type)
            => type.TypeKind == TypeKind.Interface && type.Name == "IModule"
               && type.ContainingType is { Name: "nn", ContainingType.Name: "torch" };

        private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? baseType)
        {
            if (baseType is null)
                return false;
            for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType))
                    return true;
            return false;
        }
    }
}
