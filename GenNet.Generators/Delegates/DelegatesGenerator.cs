using System;
using System.Linq;
using System.Text;
using GenNet.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace GenNet.Generators.Delegates;

/// <summary>
/// <c>[Delegates]</c>: gives a wrapper method the target's optional parameters, checked at compile time — the C#
/// counterpart of fastcore's <c>@delegates</c>. For a wrapper <c>M(own…, MKwargs kwargs = default)</c> it emits an
/// overload <c>M(own…, delegated…)</c> with the target's names, types, defaults and docs, and the bag type
/// <c>MKwargs</c>, whose forwarding method calls the target with every delegated value. The design and its reasons
/// are in docs/delegates-generator.md.
/// </summary>
/// <remarks>
/// Pipeline: <c>ForAttributeWithMetadataName</c> → <see cref="Execute.Analyze"/> (all symbol work; the result is an
/// equatable model plus diagnostics) → diagnostics reported on their own branch; models combined with the XML
/// documentation files of referenced assemblies (additional files, for command-line builds where metadata carries no
/// docs) → one file per wrapper.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class DelegatesGenerator : IIncrementalGenerator
{
    internal const string AttributeMetadataName = "GenNet.DelegatesAttribute";

    /// <summary>The tool name in the <c>[GeneratedCode]</c> of generated members; also how a target in a referenced assembly's generated overload is recognised.</summary>
    internal const string ToolName = "GenNet.Generators.Delegates";

    internal const string AnalyzeStep = "Delegates.Analyze";
    internal const string ReferenceDocsStep = "Delegates.ReferenceDocs";
    internal const string ModelStep = "Delegates.Model";

    /// <summary>The steps whose caching the tests check.</summary>
    internal static readonly string[] TrackingNames = { AnalyzeStep, ReferenceDocsStep, ModelStep };

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntaxContext, token) => Execute.Analyze(syntaxContext, token))
            .WithTrackingName(AnalyzeStep);

        context.RegisterSourceOutput(
            results.Select(static (result, _) => result.Diagnostics).Where(static d => d.Count > 0),
            static (output, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics)
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
            });

        // The files themselves, not their text: a model reads only the file of an assembly whose docs it lacks, so the
        // (possibly large) XML files of other references are never read. AdditionalText instances are stable across
        // runs while the files are unchanged, so this step caches by reference.
        var referenceDocs = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            .Collect()
            .WithTrackingName(ReferenceDocsStep);

        var models = results
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .Combine(referenceDocs)
            .Select(static (pair, token) => Execute.AddReferenceDocumentation(pair.Left!, pair.Right, token))
            .WithTrackingName(ModelStep);

        context.RegisterSourceOutput(models, static (output, model) =>
        {
            string source;
            try
            {
                source = Emitter.Emit(model);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, "[Delegates]", model.Wrapper.Name, e.Message));
                return;
            }
            output.AddSource(model.HintName, SourceText.From(source, Encoding.UTF8));
        });
    }
}

/// <summary>What analysing one wrapper gives: a model to emit (null when it cannot be generated) and diagnostics.</summary>
internal sealed record DelegatesResult(WrapperModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
