using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace GenNet.Generators.Module;

/// <summary>
/// The <c>[Module]</c> generator: for each <c>partial</c> class marked <c>GenNet.ModuleAttribute</c> that derives from a
/// TorchSharp module, writes reflection-free registration of its module, Parameter and buffer members under snake_case
/// names, the bodies of its partial properties (assignment registers, like PyTorch's <c>__setattr__</c>) and a
/// PyTorch-format <c>ToString()</c>. Misuse is reported as GN0001–GN0014.
/// </summary>
/// <remarks>
/// Pipeline: <c>ForAttributeWithMetadataName</c> → <see cref="Execute.Analyze"/> turns the class into an equatable
/// <see cref="ModuleResult"/> (all symbol work happens there) → one branch reports its diagnostics, the other emits one
/// file per class through <see cref="ModuleEmitter"/>.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class ModuleGenerator : IIncrementalGenerator
{
    internal const string AttributeMetadataName = "GenNet.ModuleAttribute";

    /// <summary>Names of the tracked pipeline steps, for caching tests.</summary>
    internal static class TrackingNames
    {
        public const string Analyzed = "ModuleAnalyzed";
        public const string Diagnostics = "ModuleDiagnostics";
        public const string Models = "ModuleModels";

        public static readonly string[] All = { Analyzed, Diagnostics, Models };
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (attributeContext, token) => Execute.Analyze(attributeContext, token))
            .WithTrackingName(TrackingNames.Analyzed);

        var diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, items) =>
        {
            foreach (var item in items)
                output.ReportDiagnostic(item.ToDiagnostic());
        });

        var models = results
            .Where(static result => result.Module is not null)
            .Select(static (result, _) => result.Module!)
            .WithTrackingName(TrackingNames.Models);
        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(model.HintName, SourceText.From(ModuleEmitter.Emit(model), Encoding.UTF8)));
    }
}
