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
    #endregion

    #region Internal (GN0900+)
    /// <summary>GN0900: the generator hit an unexpected error; reported instead of crashing the compiler.</summary>
    public static readonly DiagnosticDescriptor InternalError = Create(
        "GN0900", "GenNet.Generators", "GenNet generator failed",
        "GenNet's {0} generator could not process '{1}': {2}",
        "An unexpected error occurred in a GenNet source generator. The generator reports it instead of failing the build; please report it with the code that triggers it.");
    #endregion
}
