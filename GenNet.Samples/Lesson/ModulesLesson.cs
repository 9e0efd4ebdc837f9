using System;
using System.CommandLine;
using System.Linq;
using GenNet.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Samples.Lesson;

/// <summary>
/// <c>lesson modules</c>: lesson 14's progression from a hand-registered module to nn.Sequential (04_minibatch_training),
/// with [Module] doing what PyTorch's <c>__setattr__</c> and <c>__repr__</c> do. Each model prints its repr and
/// parameter shapes; the MLP then trains on a synthetic problem, showing that every parameter reaches the optimizer.
/// </summary>
internal static partial class ModulesLesson
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "SGD steps for the MLP.", DefaultValueFactory = _ => 200 };
        var command = new Command("modules", "Models as [Module] classes: registration, PyTorch's repr, training every parameter.");
        command.Options.Add(seed);
        command.Options.Add(steps);
        command.SetAction(result => Run(result.GetValue(seed), result.GetValue(steps)));
        return command;
    }

    private const int NIn = 784, NH = 50, NOut = 10;

    private static int Run(int seed, int steps)
    {
        torch.manual_seed(seed);

        // 1. The lesson's MLP: PyTorch registers l1/l2 in __setattr__; here partial properties do.
        using var mlp = new Mlp(NIn, NH, NOut);
        Show("1. MLP as a [Module] class", mlp);

        // 2. A plain list of layers, registered by hand as layer_0, layer_1, … (forward is functools.reduce → Aggregate).
        using var layers = new LayersModel(nn.Linear(NIn, NH), nn.ReLU(), nn.Linear(NH, NOut));
        Show("2. List of layers registered with add_module", layers);

        // 3. nn.ModuleList registers its items itself.
        using var listModel = new SequentialModel(nn.Linear(NIn, NH), nn.ReLU(), nn.Linear(NH, NOut));
        Show("3. Model over nn.ModuleList", listModel);

        // 4. The final form: nn.Sequential, which needs no class at all.
        using var sequential = nn.Sequential(nn.Linear(NIn, NH), nn.ReLU(), nn.Linear(NH, NOut));
        Show("4. nn.Sequential", sequential);

        Train(mlp, steps);
        return 0;
    }

    private static void Show(string title, nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        Console.WriteLine($"== {title}");
        Console.WriteLine(model.Repr());
        foreach (var (name, parameter) in model.named_parameters())
            Console.WriteLine($"  {name,-18} [{string.Join(", ", parameter.shape)}]");
        var output = model.call(randn(64, NIn));
        Console.WriteLine($"  forward: [64, {NIn}] -> [{string.Join(", ", output.shape)}], parameters: {model.parameters().Sum(p => p.numel())}");
        Console.WriteLine();
    }

    // A synthetic problem the MLP can learn: labels from a fixed random linear teacher.
    private static void Train(Mlp model, int steps)
    {
        Console.WriteLine($"== Training the MLP with SGD (lr 0.1, batch 64, {steps} steps)");
        using var teacher = randn(NIn, NOut);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        model.train();
        float first = 0, last = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(64, NIn);
            var y = x.matmul(teacher).argmax(1);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
                first = last;
        }
        int changed = model.named_parameters().Count(p => !before[p.name].Equals(p.parameter));
        Console.WriteLine($"  loss: first step {first:F3}, last step {last:F3}");
        Console.WriteLine($"  parameters updated by the optimizer: {changed}/{before.Count}");
        foreach (var tensor in before.Values)
            tensor.Dispose();
    }

    /// <summary>The lesson's <c>Model(layers)</c>: a plain array, each layer added as <c>layer_{i}</c>.</summary>
    [Module]
    internal sealed partial class LayersModel : nn.Module<Tensor, Tensor>
    {
        [NotRegistered] private readonly nn.Module<Tensor, Tensor>[] _layers;

        public LayersModel(params nn.Module<Tensor, Tensor>[] layers) : base(nameof(LayersModel))
        {
            _layers = layers;
            for (int i = 0; i < layers.Length; i++)
                add_module($"layer_{i}", layers[i]);
        }

        public override Tensor forward(Tensor x) => _layers.Aggregate(x, (v, layer) => layer.call(v));
    }

    /// <summary>The lesson's <c>SequentialModel(layers)</c> over nn.ModuleList.</summary>
    [Module]
    internal sealed partial class SequentialModel : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;

        public SequentialModel(params nn.Module<Tensor, Tensor>[] layers) : base(nameof(SequentialModel))
        {
            this.layers = nn.ModuleList(layers);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => layers.Aggregate(x, (v, layer) => layer.call(v));
    }
}
