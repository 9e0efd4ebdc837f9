using System;
using System.CommandLine;
using System.Linq;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Samples.Lesson;

/// <summary>
/// <c>lesson delegates</c>: fastcore's <c>@delegates</c>, checked at compile time. The lesson's <c>conv</c> helper
/// takes the few options it cares about and passes every other option of <c>nn.Conv2d</c> (TorchSharp, a referenced
/// assembly) through by name; a block built on it (a chain) gains those options too. A misspelt option, such as
/// <c>Conv(1, 8, paddingmode: …)</c>, does not compile.
/// </summary>
internal static partial class DelegatesLesson
{
    public static Command Create()
    {
        var command = new Command("delegates", "[Delegates]: forward nn.Conv2d's options through conv helpers, checked at compile time.");
        command.SetAction(_ =>
        {
            Run();
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The lesson's <c>conv</c>: a convolution with "same" padding for odd kernels, followed by a ReLU unless
    /// <paramref name="act"/> is false.
    /// </summary>
    /// <param name="ni">Input channels.</param>
    /// <param name="nf">Output channels (filters).</param>
    /// <param name="kernel_size">Kernel size; padding is <c>kernel_size / 2</c>.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="act">Whether a ReLU follows.</param>
    /// <param name="kwargs">nn.Conv2d's other options (dilation, padding_mode, groups, bias, device, dtype).</param>
    /// <returns>The layer.</returns>
    // Conv2d is overloaded (long or tuple kernel, long or Padding padding): the leading parameter types pick one.
    // padding is excluded because conv computes it; the bag's Conv2d then takes it as an argument.
    [Delegates(typeof(nn), nameof(nn.Conv2d), ParameterTypes = new[] { typeof(long), typeof(long), typeof(long), typeof(long) }, But = new[] { "padding" })]
    internal static nn.Module<Tensor, Tensor> Conv(long ni, long nf, long kernel_size = 3, long stride = 2, bool act = true, ConvKwargs kwargs = default)
    {
        var conv = kwargs.Conv2d(ni, nf, kernel_size, stride, padding: kernel_size / 2);
        return act ? nn.Sequential(("conv", conv), ("act", nn.ReLU())) : conv;
    }

    /// <summary>A conv followed by dropout: a wrapper of a wrapper, so it gains conv's options and Conv2d's.</summary>
    /// <param name="ni">Input channels.</param>
    /// <param name="nf">Output channels.</param>
    /// <param name="dropout">Dropout probability.</param>
    /// <param name="kwargs">Conv's options and, through it, nn.Conv2d's.</param>
    /// <returns>The block.</returns>
    [Delegates(nameof(Conv))]
    internal static nn.Module<Tensor, Tensor> ConvBlock(long ni, long nf, double dropout = 0.0, ConvBlockKwargs kwargs = default)
        => nn.Sequential(("conv", kwargs.Conv(ni, nf)), ("drop", nn.Dropout(dropout)));

    private static void Run()
    {
        Console.WriteLine("The generated overloads callers see:");
        Console.WriteLine("  " + GeneratedSignature(nameof(Conv)));
        Console.WriteLine("  " + GeneratedSignature(nameof(ConvBlock)));
        Console.WriteLine();

        using var x = randn(2, 1, 28, 28);
        Show("Conv(1, 8)", Conv(1, 8), x);
        Show("Conv(1, 8, kernel_size: 5, stride: 1, act: false, bias: false, padding_mode: Reflect)",
            Conv(1, 8, kernel_size: 5, stride: 1, act: false, bias: false, padding_mode: PaddingModes.Reflect), x);
        Show("ConvBlock(1, 16, dropout: 0.1, stride: 1, dilation: 2, dtype: Float64)",
            ConvBlock(1, 16, dropout: 0.1, stride: 1, dilation: 2, dtype: ScalarType.Float64), x.to(ScalarType.Float64));
    }

    private static string GeneratedSignature(string name)
    {
        var overload = typeof(DelegatesLesson).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetCustomAttributes<System.CodeDom.Compiler.GeneratedCodeAttribute>().Any());
        return $"{name}({string.Join(", ", overload.GetParameters().Select(p => p.HasDefaultValue ? $"{p.Name} = {p.DefaultValue ?? "null"}" : p.Name))})";
    }

    private static void Show(string call, nn.Module<Tensor, Tensor> layer, Tensor input)
    {
        using (layer)
        using (var output = layer.forward(input))
        {
            var weights = layer.named_parameters().Select(p => $"{p.name} {string.Join("x", p.parameter.shape)} {p.parameter.dtype}");
            Console.WriteLine(call);
            Console.WriteLine($"  parameters: {string.Join("; ", weights)}");
            Console.WriteLine($"  {string.Join("x", input.shape)} -> {string.Join("x", output.shape)}");
        }
    }
}
