using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GenNet.Generators.Delegates;

/// <summary>
/// Reads XML doc comments for the generated surface. <see cref="ISymbol.GetDocumentationCommentXml"/> is the first
/// source, but it returns an empty string in two ordinary situations that IDE tests hide: for source symbols when the
/// compilation does not generate documentation (DocumentationMode.None, i.e. GenerateDocumentationFile=false) and for
/// metadata symbols in command-line builds, which give references no documentation provider. The fallbacks are the
/// raw <c>///</c> trivia of the declaration (source) and the referenced assembly's XML file passed as an additional
/// file (metadata); failing both, the emitter writes an <c>inheritdoc</c> that the IDE resolves.
/// </summary>
internal static class Documentation
{
    private static readonly Regex DocLinePrefix = new(@"^\s*///\s?", RegexOptions.Compiled);

    /// <summary>The <c>&lt;member&gt;</c> element documenting <paramref name="symbol"/>, or null when none can be found here.</summary>
    public static XElement? Read(ISymbol symbol, CancellationToken token)
    {
        var fromCompiler = Parse(symbol.GetDocumentationCommentXml(expandIncludes: true, cancellationToken: token));
        if (fromCompiler is not null)
            return fromCompiler;
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var fromTrivia = FromTrivia(reference.GetSyntax(token));
            if (fromTrivia is not null)
                return fromTrivia;
        }
        return null;
    }

    /// <summary>The member documented as <paramref name="documentationId"/> in an XML documentation file's text.</summary>
    public static XElement? FindMember(XDocument file, string documentationId)
        => file.Root?.Element("members")?.Elements("member")
            .FirstOrDefault(member => (string?)member.Attribute("name") == documentationId);

    /// <summary>Parses a documentation file, or null when it is not well-formed XML.</summary>
    public static XDocument? ParseFile(string text)
    {
        try
        {
            return XDocument.Parse(text, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The inner XML of <c>&lt;param name="…"&gt;</c>, on one line, or null when the member does not document it.</summary>
    public static string? Parameter(XElement? member, string name)
    {
        var param = member?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name);
        return param is null ? null : OneLine(string.Concat(param.Nodes().Select(n => n.ToString())));
    }

    /// <summary>
    /// The member's doc elements other than <c>&lt;param&gt;</c>, as lines: the <paramref name="leading"/> ones
    /// (summary, typeparam) that go before the parameters, or the others (returns, remarks, …) that go after.
    /// </summary>
    public static IEnumerable<string> OtherElements(XElement? member, bool leading)
        => member is null
            ? Enumerable.Empty<string>()
            : member.Elements()
                .Where(e => e.Name != "param" && (e.Name == "summary" || e.Name == "typeparam") == leading)
                .SelectMany(e => Dedent(e.ToString(SaveOptions.DisableFormatting).Replace("\r\n", "\n").Split('\n')));

    private static XElement? Parse(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return null;
        try
        {
            var element = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
            return element.HasElements ? element : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static XElement? FromTrivia(SyntaxNode declaration)
    {
        // With DocumentationMode.None the compiler keeps `///` lines as ordinary comments; with Parse/Diagnose they are
        // documentation trivia. Either way their text is the doc comment.
        var lines = declaration.GetLeadingTrivia()
            .Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
            .SelectMany(t => t.ToFullString().Replace("\r\n", "\n").Split('\n'))
            .Where(line => line.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(line => DocLinePrefix.Replace(line, ""))
            .ToList();
        if (lines.Count == 0)
            return null;
        var member = Parse("<member>" + string.Join("\n", lines) + "</member>");
        if (member is null)
            return null;
        // Crefs in raw trivia are as the author wrote them, bound in the declaration's usings; the generated file has
        // other usings, so they are shown as code instead of risking a wrong or failing link.
        foreach (var link in member.Descendants().Where(e => (e.Name == "see" || e.Name == "seealso") && e.Attribute("cref") is not null).ToList())
            link.ReplaceWith(new XElement("c", (string)link.Attribute("cref")!));
        return member;
    }

    private static string OneLine(string text)
        => string.Join(" ", text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static IEnumerable<string> Dedent(string[] lines)
    {
        int indent = lines.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        yield return lines[0].Trim();
        foreach (var line in lines.Skip(1))
        {
            if (line.Trim().Length == 0)
                continue;
            yield return line.Length >= indent ? line.Substring(indent).TrimEnd() : line.Trim();
        }
    }
}
