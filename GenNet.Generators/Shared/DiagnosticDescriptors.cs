using Microsoft.CodeAnalysis;

namespace GenNet.Generators.Shared;

/// <summary>
/// Every diagnostic GenNet's generators report, in one place. IDs: GN0001–GN0099 for [Module], GN0100–GN0199 for
/// [Delegates], GN0900+ for internal errors (the generator never throws; an unexpected failure becomes a diagnostic).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string HelpLinkBase = "https://github.com/gennet/gennet/blob/main/docs/diagnostics.md#";

    internal static DiagnosticDescriptor Create(string id, string category, string title, string message, string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Error)
        => new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

    #region [Module] (GN0001–GN0099)
    private const string ModuleCategory = "GenNet.Module";

    /// <summary>GN0001: the [Module] class, or a type containing it, is not partial.</summary>
    public static readonly DiagnosticDescriptor ModuleNotPartial = Create(
        "GN0001", ModuleCategory, "[Module] type must be partial",
        "'{0}' must be declared partial so that [Module] can add the generated registration and repr of '{1}'",
        "The [Module] generator adds members to the class in a second partial declaration, so the class and every type that contains it must be declared partial.");

    /// <summary>GN0002: the [Module] class does not derive from torch.nn.Module.</summary>
    public static readonly DiagnosticDescriptor ModuleNotAModule = Create(
        "GN0002", ModuleCategory, "[Module] class must derive from a TorchSharp module",
        "[Module] class '{0}' does not derive from TorchSharp's torch.nn.Module",
        "[Module] generates registration for TorchSharp modules: derive the class from torch.nn.Module<T, TResult> (or another module type) and call base(name) in its constructor.");

    /// <summary>GN0003: a registered partial property has no setter, or an init-only one.</summary>
    public static readonly DiagnosticDescriptor ModulePropertyNeedsSetter = Create(
        "GN0003", ModuleCategory, "Registered partial property needs a set accessor",
        "Partial property '{0}' needs a set accessor (not init): assigning it is what registers the {1}",
        "A partial property of a [Module] class is implemented by the generator: its setter registers the value, replaces it or, for null, removes it, like PyTorch's __setattr__. A property without a setter, or with init, could not do that; use 'set' (it may be private).");

    /// <summary>GN0004: a static member holds a module or tensor.</summary>
    public static readonly DiagnosticDescriptor ModuleStaticMember = Create(
        "GN0004", ModuleCategory, "Static member is not registered",
        "Static member '{0}' holds a {1}, which no module instance registers: it is shared by all instances and invisible to parameters(), to(device) and state_dict",
        "Registration is per instance. Make the member an instance member, or mark it [NotRegistered] if sharing it is intended.",
        DiagnosticSeverity.Warning);

    /// <summary>GN0005: a List, array or dictionary of modules is not registered.</summary>
    public static readonly DiagnosticDescriptor ModuleCollectionOfModules = Create(
        "GN0005", ModuleCategory, "Collection of modules is not registered",
        "'{0}' is a {1} of modules, which is not registered: their parameters would be invisible to parameters(), to(device) and state_dict; use ModuleList (or ModuleDict), or mark it [NotRegistered] and register the items with add_module",
        "Like PyTorch, a plain list of modules is not a module. nn.ModuleList / nn.ModuleDict register their items (names 0, 1, … or the keys); a constructor that registers each item itself with add_module can mark the list [NotRegistered].",
        DiagnosticSeverity.Warning);

    /// <summary>GN0006: two members are registered under one name.</summary>
    public static readonly DiagnosticDescriptor ModuleDuplicateName = Create(
        "GN0006", ModuleCategory, "Two members are registered under one name",
        "'{0}' and '{1}' are both registered as '{2}'; rename one or give it [RegisterAs(\"...\")]",
        "Registered names are the snake_case of member names without a leading '_' or 'm_', so for example 'HiddenLayer' and '_hiddenLayer' collide. Each name may be registered once per module, base classes included.");

    /// <summary>GN0007: a registered name is empty or contains a dot.</summary>
    public static readonly DiagnosticDescriptor ModuleInvalidName = Create(
        "GN0007", ModuleCategory, "Invalid registered name",
        "'{0}' is not a valid registered name for '{1}': it must be non-empty and contain no '.'",
        "A registered name becomes one segment of a dotted state_dict key such as 'encoder.fc.weight'.");

    /// <summary>GN0008: a constructor never calls RegisterComponents() although fields need it.</summary>
    public static readonly DiagnosticDescriptor ModuleMissingRegisterComponents = Create(
        "GN0008", ModuleCategory, "Constructor does not call RegisterComponents()",
        "Constructor of '{0}' never calls RegisterComponents(), so the fields {1} would not be registered when '{0}' is the top-level model; call RegisterComponents() at the end of the constructor, or make them partial properties",
        "Fields are registered by the generated RegisterComponents() override, which the constructor must call once every field is assigned (a parent module calls it too when it registers this one). Partial properties register on assignment and need no call.",
        DiagnosticSeverity.Warning);

    /// <summary>GN0009: an auto-property holds a module or tensor.</summary>
    public static readonly DiagnosticDescriptor ModuleAutoProperty = Create(
        "GN0009", ModuleCategory, "Auto-property is not registered",
        "Auto-property '{0}' holds a {1} that [Module] does not register; declare it partial (assignment then registers it), use a field, or mark it [NotRegistered]",
        "TorchSharp's reflection registers an auto-property under its compiler-generated backing field name ('<Fc>k__BackingField'); [Module] registers fields and partial properties under clean names instead.");

    /// <summary>GN0010: a member's type is a type parameter that is neither a module nor a tensor.</summary>
    public static readonly DiagnosticDescriptor ModuleUnconstrainedTypeParameter = Create(
        "GN0010", ModuleCategory, "Member of type-parameter type is not registered",
        "'{0}' has type '{1}', which is not constrained to a module or tensor type, so it is not registered; add a constraint such as 'where {1} : torch.nn.Module' or mark it [NotRegistered]",
        "Registration is decided at compile time from the member's type, so a type parameter must be constrained to a module or tensor type to be registered.",
        DiagnosticSeverity.Warning);

    /// <summary>GN0011: the class declares a member the generator writes.</summary>
    public static readonly DiagnosticDescriptor ModuleConflictingMember = Create(
        "GN0011", ModuleCategory, "Member conflicts with generated code",
        "'{0}' declares {1}, which the [Module] generator writes; remove it",
        "[Module] writes RegisterComponents() (reflection-free registration) and, when the class has tensor members, _toEpilog (which keeps them in step with to(device)) and named_buffers (which lists non-persistent buffers too). Register extra members in the constructor with add_module / register_buffer instead.");

    /// <summary>GN0012: a non-[Module] base class has members that nothing registers.</summary>
    public static readonly DiagnosticDescriptor ModuleUnregisteredBaseMembers = Create(
        "GN0012", ModuleCategory, "Base class members are not registered",
        "Base class '{0}' of [Module] class '{1}' declares {2}, which nothing registers because [Module] replaces TorchSharp's reflection-based RegisterComponents(); mark '{0}' with [Module]",
        "A [Module] class registers its own members and those of [Module] base classes; the members of other custom base classes would be skipped.",
        DiagnosticSeverity.Warning);

    /// <summary>GN0013: a GenNet member attribute has no effect where it is.</summary>
    public static readonly DiagnosticDescriptor ModuleAttributeHasNoEffect = Create(
        "GN0013", ModuleCategory, "Attribute has no effect",
        "[{0}] has no effect on '{1}': {2}",
        "[RegisterAs] and [NonPersistent] apply to registered members of [Module] classes: [NonPersistent] to tensors (buffers) only, neither to [NotRegistered] members nor to members of types that are not registered.",
        DiagnosticSeverity.Warning);

    /// <summary>GN0014: ExtraRepr has the wrong shape.</summary>
    public static readonly DiagnosticDescriptor ModuleInvalidExtraRepr = Create(
        "GN0014", ModuleCategory, "ExtraRepr is not used",
        "'{0}.ExtraRepr' is not used by the repr: it must be an instance method with no parameters that returns string",
        "A [Module] class adds text to its repr (PyTorch's extra_repr) by declaring 'string ExtraRepr()'.",
        DiagnosticSeverity.Warning);
    #endregion

    #region [Delegates] (GN0100–GN0199)
    private const string DelegatesCategory = "GenNet.Delegates";

    /// <summary>GN0100: the [Delegates] target type has no method of that name.</summary>
    public static readonly DiagnosticDescriptor DelegatesTargetNotFound = Create(
        "GN0100", DelegatesCategory, "[Delegates] target not found",
        "'{0}' has no method named '{1}' for [Delegates] to delegate to",
        "The type and method name given to [Delegates] must name an existing method; use typeof(...) and nameof(...) so the compiler checks them.");

    /// <summary>GN0101: the target name matches several overloads.</summary>
    public static readonly DiagnosticDescriptor DelegatesAmbiguousTarget = Create(
        "GN0101", DelegatesCategory, "[Delegates] target is ambiguous",
        "'{0}' has {1} overloads that [Delegates] could delegate to: {2}; choose one with ParameterTypes = new[] {{ typeof(...), ... }} (its leading parameter types)",
        "[Delegates] forwards to exactly one method. When the name is overloaded, ParameterTypes lists the leading parameter types of the one to use.");

    /// <summary>GN0102: the target is not accessible from the wrapper.</summary>
    public static readonly DiagnosticDescriptor DelegatesInaccessibleTarget = Create(
        "GN0102", DelegatesCategory, "[Delegates] target is inaccessible",
        "'{0}' is not accessible from '{1}', so '{2}' cannot delegate to it",
        "The generated code calls the target from the wrapper's type, so the target must be accessible there.");

    /// <summary>GN0103: the wrapper's type (or a type containing it) is not partial.</summary>
    public static readonly DiagnosticDescriptor DelegatesWrapperNotInPartialType = Create(
        "GN0103", DelegatesCategory, "[Delegates] method must be in a partial type",
        "'{0}' has [Delegates], so '{1}' must be declared partial (with every type that contains it)",
        "The generator adds an overload and a bag type next to the wrapper, which needs the wrapper's type and its containing types to be partial.");

    /// <summary>GN0104: a wrapper parameter has a target parameter's name but a different type.</summary>
    public static readonly DiagnosticDescriptor DelegatesParameterTypeClash = Create(
        "GN0104", DelegatesCategory, "[Delegates] parameter type clash",
        "Parameter '{0}' of '{1}' is '{2}', but the parameter '{0}' of '{3}' it stands for is '{4}'",
        "A wrapper parameter named like a target parameter replaces it (fastcore's rule) and the wrapper passes it on itself, so both must have the same type; rename one or change the type.");

    /// <summary>GN0105: a target parameter cannot be delegated (ref/out/in, type depending on the target's type parameters, inexpressible default).</summary>
    public static readonly DiagnosticDescriptor DelegatesUnsupportedParameter = Create(
        "GN0105", DelegatesCategory, "[Delegates] parameter kind not supported",
        "Parameter '{0}' of '{1}' cannot be delegated: {2}",
        "[Delegates] adds the target's optional parameters as ordinary by-value parameters after the wrapper's own ones. ref, out and in parameters, types that use the target's type parameters, and defaults C# cannot write are not supported; exclude such a target parameter with But, or declare it on the wrapper. A params array on the wrapper is GN0106, since it would take the last place, which the kwargs parameter needs.");

    /// <summary>GN0106: the wrapper has no bag parameter to receive the delegated values.</summary>
    public static readonly DiagnosticDescriptor DelegatesMissingBagParameter = Create(
        "GN0106", DelegatesCategory, "[Delegates] method needs a kwargs parameter",
        "'{0}' must end with a parameter '{1} kwargs = default' that receives the delegated values (the generator declares '{1}')",
        "The wrapper's body forwards the delegated values through its last parameter, of the generated type {Method}Kwargs, e.g. `kwargs.Target(x)`. It must be last, so a wrapper cannot also have a params array: take an array or a collection instead.");

    /// <summary>GN0107: the wrapper's shape is not supported.</summary>
    public static readonly DiagnosticDescriptor DelegatesUnsupportedWrapper = Create(
        "GN0107", DelegatesCategory, "[Delegates] method shape not supported",
        "'{0}' cannot use [Delegates]: {1}",
        "Some wrapper shapes cannot be given a generated overload; the message says which and why.");

    /// <summary>GN0108: a chain of [Delegates] leads back to the wrapper.</summary>
    public static readonly DiagnosticDescriptor DelegatesCycle = Create(
        "GN0108", DelegatesCategory, "[Delegates] chain is a cycle",
        "'{0}' delegates to itself through {1}",
        "A wrapper gains its target's parameters, including those the target gains from its own target, so the chain must end.");

    /// <summary>GN0109: But names a parameter the target does not have (a warning: nothing breaks, but it is likely a typo).</summary>
    public static readonly DiagnosticDescriptor DelegatesUnknownExcludedParameter = Create(
        "GN0109", DelegatesCategory, "[Delegates] But names an unknown parameter",
        "But names '{0}', which is not a parameter of '{1}'",
        "Every name in But should be a parameter of the target; a name that is not is probably misspelt and excludes nothing.",
        DiagnosticSeverity.Warning);
    #endregion

    #region Internal (GN0900+)
    /// <summary>GN0900: the generator hit an unexpected error; reported instead of crashing the compiler.</summary>
    public static readonly DiagnosticDescriptor InternalError = Create(
        "GN0900", "GenNet.Generators", "GenNet generator failed",
        "GenNet's {0} generator could not process '{1}': {2}",
        "An unexpected error occurred in a GenNet source generator. The generator reports it instead of failing the build; please report it with the code that triggers it.");
    #endregion
}
