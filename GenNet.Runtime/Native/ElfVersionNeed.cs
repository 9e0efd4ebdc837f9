namespace GenNet.Native;

/// <summary>
/// One symbol-version requirement of an ELF shared library (an <c>Elf64_Vernaux</c> entry of its
/// <c>.gnu.version_r</c> section), for example <c>GLIBCXX_3.4.32</c> from <c>libstdc++.so.6</c>.
/// </summary>
/// <param name="File">The library that must provide the version (<c>vn_file</c>), e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name (<c>vna_name</c>), e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Index">The version index symbols refer to through <c>.gnu.version</c> (<c>vna_other</c>).</param>
/// <param name="Flags">The entry's flags (<c>vna_flags</c>); <see cref="ElfImage.WeakFlag"/> marks a weak need.</param>
/// <param name="FlagsOffset">The file offset of <c>vna_flags</c>, where <see cref="ElfImage.MarkWeak"/> writes.</param>
public sealed record ElfVersionNeed(string File, string Version, ushort Index, ushort Flags, long FlagsOffset)
{
    /// <summary>True when the dynamic loader accepts the library even if <see cref="File"/> lacks the version.</summary>
    public bool IsWeak => (Flags & ElfImage.WeakFlag) != 0;
}
