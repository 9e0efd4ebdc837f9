using System.CommandLine;
using GenNet.Samples;
using GenNet.Samples.Benchmarks;
using GenNet.Samples.Lesson;

// `dotnet run --project GenNet.Samples -c Release` runs the main job; `-- bench <name>` runs a benchmark and
// `-- lesson <name>` one step of the lesson walk-through.
var root = MainJob.CreateCommand();
root.Subcommands.Add(BenchCommands.Create());
root.Subcommands.Add(LessonCommands.Create());
return root.Parse(args).Invoke();
