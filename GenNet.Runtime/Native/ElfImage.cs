using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace GenNet.Native;

/// <summary>
/// A read-only view of the parts of a 64-bit little-endian ELF shared library that decide whether the dynamic
/// loader accepts it: needed libraries, symbol-version needs and definitions, dynamic symbols and relocations.
/// Every offset is bounds-checked, so a truncated or foreign file gives an <see cref="ElfFormatException"/>
/// naming the file instead of garbage or a crash.
/// </summary>
public sealed class ElfImage
{
    /// <summary><c>VER_FLG_WEAK</c>: a version need with this flag does not stop the library from loading.</summary>
    public const ushort WeakFlag = 0x2;

    private const uint ShtRela = 4, ShtDynamic = 6, ShtRel = 9, ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    private const long DtNeeded = 1;
    private const int SectionHeaderSize = 64, SymbolSize = 24;

    private readonly byte[] _bytes;
    private readonly string _path;
    private readonly List<Section> _sections = new();

    private ElfImage(byte[] bytes, string path)
    {
        _bytes = bytes;
        _path = path;
        ReadSectionHeaders();
        NeededLibraries = ReadNeededLibraries();
        VersionNeeds = ReadVersionNeeds();
        VersionDefinitions = ReadVersionDefinitions();
    }

    /// <summary>The libraries named by <c>DT_NEEDED</c> entries, in file order.</summary>
    public IReadOnlyList<string> NeededLibraries { get; }

    /// <summary>Every symbol-version need (<c>.gnu.version_r</c>), in file order.</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds { get; }

    /// <summary>The version names this library defines (<c>.gnu.version_d</c>), e.g. <c>GLIBCXX_3.4.30</c>.</summary>
    public IReadOnlyCollection<string> VersionDefinitions { get; }

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="ElfFormatException">The file is not a 64-bit little-endian ELF or is truncated.</exception>
    public static ElfImage Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses an ELF image held in memory; <paramref name="path"/> is only used in error messages.</summary>
    /// <exception cref="ElfFormatException">The bytes are not a 64-bit little-endian ELF or are truncated.</exception>
    public static ElfImage Parse(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 4 || bytes[0] != 0x7F || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new ElfFormatException(path, "it does not start with the ELF magic bytes");
        if (bytes.Length < 64)
            throw new ElfFormatException(path, $"the file is truncated ({bytes.Length} bytes, the ELF header alone is 64)");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new ElfFormatException(path, "only 64-bit little-endian ELF files are supported");
        return new ElfImage(bytes, path);
    }

    /// <summary>
    /// The names of the undefined dynamic symbols that are bound to <paramref name="need"/>'s version, paired with
    /// whether any relocation refers to them. A need whose symbols are all unreferenced is only a link-time marker:
    /// marking it weak cannot leave a call without a target.
    /// </summary>
    public IReadOnlyList<(string Symbol, bool Relocated)> SymbolsBoundTo(ElfVersionNeed need)
    {
        var dynsym = FindSection(ShtDynsym);
        var versym = FindSection(ShtGnuVersym);
        var result = new List<(string, bool)>();
        if (dynsym is null || versym is null)
            return result;

        var strtab = LinkedSection(dynsym.Value, ".dynsym");
        long count = dynsym.Value.Size / SymbolSize;
        var relocated = RelocatedSymbolIndices();
        for (long i = 1; i < count; i++)
        {
            ushort version = (ushort)(U16(versym.Value.Offset + 2 * i) & 0x7fff);
            long entry = dynsym.Value.Offset + i * SymbolSize;
            ushort sectionIndex = U16(entry + 6);
            if (version != need.Index || sectionIndex != 0)
                continue;
            result.Add((String(strtab, U32(entry)), relocated.Contains(i)));
        }
        return result;
    }

    /// <summary>
    /// Sets <see cref="WeakFlag"/> on <paramref name="need"/> in <paramref name="image"/> (a copy of this file's bytes)
    /// so glibc accepts the library where the version is missing.
    /// </summary>
    public static void MarkWeak(Span<byte> image, ElfVersionNeed need)
    {
        if (need.FlagsOffset < 0 || need.FlagsOffset + 2 > image.Length)
            throw new ArgumentOutOfRangeException(nameof(need), "The version need lies outside the image.");
        var flags = image.Slice((int)need.FlagsOffset, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(flags) | WeakFlag));
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private void ReadSectionHeaders()
    {
        long tableOffset = checked((long)U64(0x28));
        ushort entrySize = U16(0x3A);
        ushort count = U16(0x3C);
        if (count == 0)
            return;
        if (entrySize < SectionHeaderSize)
            throw Error($"section headers are {entrySize} bytes, expected {SectionHeaderSize}");
        Require(tableOffset, (long)count * entrySize, "section header table");
        for (int i = 0; i < count; i++)
        {
            long h = tableOffset + (long)i * entrySize;
            var section = new Section(U32(h + 4), checked((long)U64(h + 24)), checked((long)U64(h + 32)), U32(h + 40), U32(h + 44));
            // SHT_NOBITS (8) sections occupy no file space, so their offset and size are not file ranges.
            if (section.Type != 8 && section.Type != 0)
                Require(section.Offset, section.Size, $"section {i}");
            _sections.Add(section);
        }
    }

    private List<string> ReadNeededLibraries()
    {
        var result = new List<string>();
        var dynamic = FindSection(ShtDynamic);
        if (dynamic is null)
            return result;
        var strtab = LinkedSection(dynamic.Value, ".dynamic");
        for (long e = dynamic.Value.Offset; e + 16 <= dynamic.Value.Offset + dynamic.Value.Size; e += 16)
        {
            long tag = (long)U64(e);
            if (tag == 0)
                break;
            if (tag == DtNeeded)
                result.Add(String(strtab, checked((uint)U64(e + 8))));
        }
        return result;
    }

    private List<ElfVersionNeed> ReadVersionNeeds()
    {
        var result = new List<ElfVersionNeed>();
        var section = FindSection(ShtGnuVerneed);
        if (section is null)
            return result;
        var strtab = LinkedSection(section.Value, ".gnu.version_r");
        long entry = section.Value.Offset;
        for (uint n = 0; n < section.Value.Info; n++)
        {
            Require(entry, 16, ".gnu.version_r entry");
            string file = String(strtab, U32(entry + 4));
            ushort auxCount = U16(entry + 2);
            long aux = entry + U32(entry + 8);
            for (int a = 0; a < auxCount; a++)
            {
                Require(aux, 16, ".gnu.version_r auxiliary entry");
                result.Add(new ElfVersionNeed(file, String(strtab, U32(aux + 8)), U16(aux + 6), U16(aux + 4), aux + 4));
                uint nextAux = U32(aux + 12);
                if (nextAux == 0)
                    break;
                aux += nextAux;
            }
            uint next = U32(entry + 12);
            if (next == 0)
                break;
            entry += next;
        }
        return result;
    }

    private HashSet<string> ReadVersionDefinitions()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var section = FindSection(ShtGnuVerdef);
        if (section is null)
            return result;
        var strtab = LinkedSection(section.Value, ".gnu.version_d");
        long entry = section.Value.Offset;
        for (uint n = 0; n < section.Value.Info; n++)
        {
            Require(entry, 20, ".gnu.version_d entry");
            long aux = entry + U32(entry + 12);
            Require(aux, 8, ".gnu.version_d auxiliary entry");
            result.Add(String(strtab, U32(aux)));
            uint next = U32(entry + 16);
            if (next == 0)
                break;
            entry += next;
        }
        return result;
    }

    private HashSet<long> RelocatedSymbolIndices()
    {
        var result = new HashSet<long>();
        foreach (var section in _sections)
        {
            int size = section.Type == ShtRela ? 24 : section.Type == ShtRel ? 16 : 0;
            if (size == 0)
                continue;
            for (long r = section.Offset; r + size <= section.Offset + section.Size; r += size)
                result.Add((long)(U64(r + 8) >> 32));
        }
        return result;
    }

    private Section? FindSection(uint type)
    {
        foreach (var section in _sections)
            if (section.Type == type)
                return section;
        return null;
    }

    private Section LinkedSection(Section section, string what)
    {
        if (section.Link >= _sections.Count)
            throw Error($"{what} links to string table {section.Link}, but there are only {_sections.Count} sections");
        return _sections[(int)section.Link];
    }

    private string String(Section strtab, uint offset)
    {
        if (offset >= strtab.Size)
            throw Error($"a name points at offset {offset} of a {strtab.Size}-byte string table");
        int start = checked((int)(strtab.Offset + offset));
        int end = Array.IndexOf(_bytes, (byte)0, start, (int)(strtab.Offset + strtab.Size - start));
        if (end < 0)
            throw Error("a name in a string table is not terminated");
        return Encoding.ASCII.GetString(_bytes, start, end - start);
    }

    private void Require(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset + length > _bytes.Length)
            throw Error($"the {what} (bytes {offset}..{offset + length}) lies beyond the end of the {_bytes.Length}-byte file; the file is truncated or corrupt");
    }

    private ushort U16(long offset)
    {
        Require(offset, 2, "field");
        return BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan((int)offset, 2));
    }

    private uint U32(long offset)
    {
        Require(offset, 4, "field");
        return BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan((int)offset, 4));
    }

    private ulong U64(long offset)
    {
        Require(offset, 8, "field");
        return BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan((int)offset, 8));
    }

    private ElfFormatException Error(string problem) => new(_path, problem);
}
