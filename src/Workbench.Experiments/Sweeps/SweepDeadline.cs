// When a sweep stops starting trials: `hours` after it was registered, or the next time the clock
// reads `until` (the machine's local time, as a user writes "07:00"), whichever comes first. Trials
// running then finish; none starts after.
namespace Workbench.Experiments.Sweeps;

public static class SweepDeadline
{
    /// <summary>The deadline in UTC for a sweep registered at <paramref name="nowUtc"/>; null without hours or until.</summary>
    public static DateTime? Of(SweepBudget budget, DateTime nowUtc, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        DateTime? byHours = budget.Hours is { } hours ? nowUtc.AddHours(hours) : null;
        DateTime? byClock = null;
        if (budget.Until is { } until)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone);
            var next = local.Date + until.ToTimeSpan();
            if (next <= local) next = next.AddDays(1);
            byClock = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(next, DateTimeKind.Unspecified), zone);
        }
        return byHours is null ? byClock : byClock is null ? byHours : (byHours < byClock ? byHours : byClock);
    }
}
