using System;
using System.CommandLine;
using System.Threading;

namespace GenNet.Samples.Lesson;

/// <summary>
/// <c>lesson callbacks</c>: the lesson's callbacks section (06_foundations) in C#. A slow calculation reports progress
/// through a function, a lambda, a closure, a partially applied function and a callable object; then a hook object with
/// optional before/after methods reads and changes the calculator's state and stops early by returning true. The same
/// ideas, grown up, are GenNet.Training's <c>Callback</c> and <c>CancelFitException</c>.
/// </summary>
internal static class CallbacksLesson
{
    public static Command Create()
    {
        var delay = new Option<int>("--delay-ms") { Description = "Pause per step of the slow calculation (the lesson sleeps 1 s).", DefaultValueFactory = _ => 50 };
        var command = new Command("callbacks", "The lesson's callbacks: functions, lambdas, closures, partials, callable objects, hook objects, early stopping.");
        command.Options.Add(delay);
        command.SetAction(r =>
        {
            Run(TimeSpan.FromMilliseconds(Math.Max(0, r.GetValue(delay))));
            return 0;
        });
        return command;
    }

    private static void Run(TimeSpan delay)
    {
        Console.WriteLine("## A function as a callback");
        Console.WriteLine($"result: {SlowCalculation(delay, ShowProgress)}");

        Console.WriteLine("## A lambda");
        SlowCalculation(delay, epoch => Console.WriteLine($"Awesome! We've finished epoch {epoch}!"));

        Console.WriteLine("## A closure: make_show_progress(\"Nice!\") captures the exclamation");
        SlowCalculation(delay, MakeShowProgress("Nice!"));

        Console.WriteLine("## functools.partial: fix the first argument of a two-argument function");
        SlowCalculation(delay, Partial<string, int>(ShowProgressWith, "OK I guess"));

        Console.WriteLine("## A callable object (Python's __call__ is a method passed as a delegate)");
        SlowCalculation(delay, new ProgressShowingCallback("Just super").Invoke);

        Console.WriteLine("## A hook object with optional before/after methods");
        var calculator = new SlowCalculator(delay, new PrintStepCallback());
        calculator.Calc();
        Console.WriteLine($"result: {calculator.Result}");

        Console.WriteLine("## A hook that changes the calculator's state and stops early by returning true");
        var modified = new SlowCalculator(delay, new ModifyingCallback());
        modified.Calc();
        Console.WriteLine($"result: {modified.Result}");
    }

    // The lesson's slow_calculation(cb=None): five steps, res += i*i, cb(i) after each.
    private static int SlowCalculation(TimeSpan delay, Action<int>? callback = null)
    {
        var result = 0;
        for (var i = 0; i < 5; i++)
        {
            result += i * i;
            Thread.Sleep(delay);
            callback?.Invoke(i);
        }
        return result;
    }

    private static void ShowProgress(int epoch) => Console.WriteLine($"Awesome! We've finished epoch {epoch}!");

    private static void ShowProgressWith(string exclamation, int epoch) => Console.WriteLine($"{exclamation}! We've finished epoch {epoch}!");

    private static Action<int> MakeShowProgress(string exclamation) => epoch => Console.WriteLine($"{exclamation}! We've finished epoch {epoch}!");

    private static Action<T2> Partial<T1, T2>(Action<T1, T2> function, T1 first) => second => function(first, second);

    private sealed class ProgressShowingCallback(string exclamation)
    {
        public void Invoke(int epoch) => Console.WriteLine($"{exclamation}! We've finished epoch {epoch}!");
    }

    // Optional hooks: Python checks hasattr(cb, 'before_calc'); C# checks which interfaces the object implements.
    private interface IBeforeCalc
    {
        void BeforeCalc(SlowCalculator calculator, int epoch);
    }

    private interface IAfterCalc
    {
        /// <returns>true to stop the calculation early.</returns>
        bool AfterCalc(SlowCalculator calculator, int epoch, int value);
    }

    private sealed class SlowCalculator(TimeSpan delay, params object[] callbacks)
    {
        public int Result { get; set; }

        public void Calc()
        {
            Result = 0;
            for (var i = 0; i < 5; i++)
            {
                foreach (var cb in callbacks)
                    (cb as IBeforeCalc)?.BeforeCalc(this, i);
                Result += i * i;
                Thread.Sleep(delay);
                var stop = false;
                foreach (var cb in callbacks)
                    stop |= cb is IAfterCalc after && after.AfterCalc(this, i, Result);
                if (stop)
                {
                    Console.WriteLine("stopping early");
                    break;
                }
            }
        }
    }

    private sealed class PrintStepCallback : IBeforeCalc, IAfterCalc
    {
        public void BeforeCalc(SlowCalculator calculator, int epoch) => Console.WriteLine("About to start");

        public bool AfterCalc(SlowCalculator calculator, int epoch, int value)
        {
            Console.WriteLine($"Done step {epoch}: {value}");
            return false;
        }
    }

    // Only an after hook (the lesson's ModifyingCallback): it reads the calculator, doubles small results, and asks
    // to stop once the result passes 10.
    private sealed class ModifyingCallback : IAfterCalc
    {
        public bool AfterCalc(SlowCalculator calculator, int epoch, int value)
        {
            Console.WriteLine($"After {epoch}: {calculator.Result}");
            if (calculator.Result > 10)
                return true;
            if (calculator.Result < 3)
                calculator.Result *= 2;
            return false;
        }
    }
}
