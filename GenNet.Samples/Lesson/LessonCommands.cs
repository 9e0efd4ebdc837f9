using System.CommandLine;

namespace GenNet.Samples.Lesson;

/// <summary><c>lesson &lt;step&gt;</c>: the fast.ai lesson 14 walk-through, one step per sub-command.</summary>
internal static class LessonCommands
{
    public static Command Create()
    {
        var lesson = new Command("lesson", "Walk through fast.ai lesson 14, rebuilt on GenNet.");
        lesson.Subcommands.Add(ModulesLesson.Create());
        lesson.Subcommands.Add(DelegatesLesson.Create());
        lesson.Subcommands.Add(DataLesson.Create());
        lesson.Subcommands.Add(CallbacksLesson.Create());
        lesson.Subcommands.Add(PlottingLesson.Create());
        lesson.Subcommands.Add(DatasetsLesson.Create());
        return lesson;
    }
}
