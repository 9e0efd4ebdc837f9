using System;
using Xunit;

namespace GenNet.Tests.Support;

/// <summary>
/// A <see cref="FactAttribute"/> that runs only on Linux and is reported as skipped, with the reason, elsewhere, so a
/// platform-specific test never passes without asserting anything (xunit 2.9 has no <c>Assert.Skip</c>).
/// </summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when not on Linux.</summary>
    /// <param name="reason">Why the test needs Linux.</param>
    public LinuxFactAttribute(string reason)
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only: " + reason;
    }
}

/// <summary>A <see cref="TheoryAttribute"/> that is reported as skipped, with the reason, on macOS.</summary>
public sealed class NotOnMacOSTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> on macOS.</summary>
    /// <param name="reason">Why the test does not apply to macOS.</param>
    public NotOnMacOSTheoryAttribute(string reason)
    {
        if (OperatingSystem.IsMacOS())
            Skip = "not on macOS: " + reason;
    }
}
