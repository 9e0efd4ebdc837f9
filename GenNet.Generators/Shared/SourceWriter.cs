using System.Text;

namespace GenNet.Generators.Shared;

/// <summary>An indented text writer for generated C#: the cookbook's advice over SyntaxFactory + NormalizeWhitespace.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>Writes one line at the current indentation (an empty line stays empty).</summary>
    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public SourceWriter Open()
    {
        Line("{");
        _depth++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c> (with an optional suffix such as <c>;</c>).</summary>
    public SourceWriter Close(string suffix = "")
    {
        _depth--;
        return Line("}" + suffix);
    }

    /// <summary>Indents the lines written until <see cref="Outdent"/>.</summary>
    public SourceWriter Indent()
    {
        _depth++;
        return this;
    }

    /// <summary>Ends an <see cref="Indent"/>.</summary>
    public SourceWriter Outdent()
    {
        _depth--;
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();
}
