// Opens a generated report from file:// in Debian's Chromium (driven by Playwright) and checks what a reader sees.
using Microsoft.Playwright;

namespace Workbench.Reports.Tests;

public sealed class ReportBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string Hostile = "<img src=x onerror=alert(1)>";

    [SkippableFact]
    public async Task A_report_opened_from_disk_draws_its_charts_shows_hostile_names_as_text_and_makes_no_request()
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"Chromium is not installed at {ChromiumPath} (scripts/setup.sh test-deps installs it)");

        // Given a report of two runs, one with a hostile name, against a baseline, written to disk
        var folder = OutputFolder();
        var path = Path.Combine(folder, "report.html");
        var baseline = SampleRuns.Run("baseline-mlp", id: "base0001", groupHash: "g0", steps: 3000);
        var hostile = SampleRuns.Run(Hostile, id: "evil0001", groupHash: "g1", lossScale: 0.8, steps: 3000,
            texts: [new TextArtifact("sample", 30_000, "<b>not bold</b>\nsecond line")]);
        var wide = SampleRuns.Run("wide-mlp", id: "wide0001", groupHash: "g2", lossScale: 1.1, steps: 3000);
        ReportBuilder.Write(path, [hostile, wide], baseline, new ReportOptions("Browser check", SampleRuns.Metrics));
        var documentUrl = new Uri(path).AbsoluteUri;

        // When Chromium opens it from file://
        await using var opened = await Opened.Launch();
        var (page, requests, errors, dialogs) = (opened.Page, opened.Requests, opened.Errors, opened.Dialogs);
        await page.GotoAsync(documentUrl, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await page.WaitForSelectorAsync(".uplot canvas");

        // Then every chart is drawn on a canvas of non-zero size
        var canvasAreas = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('.uplot canvas')].map(c => c.width * c.height)");
        Assert.Equal(3, canvasAreas.Length); // loss (train and val together), accuracy, learning rate
        Assert.All(canvasAreas, area => Assert.True(area > 0));

        // And both runs and the baseline are in the legend and in the runs table, the hostile name as plain text
        var legend = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('.u-legend .u-series')].filter(r => r.style.display !== 'none').map(r => r.textContent).join('\\n')");
        Assert.Contains(Hostile, legend);
        Assert.Contains("wide-mlp", legend);
        Assert.Contains("baseline-mlp", legend);
        var runNames = await page.Locator("#runs td.name").AllTextContentsAsync();
        Assert.Equal(["baseline-mlp baseline", Hostile, "wide-mlp"], runNames);
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Equal("<b>not bold</b>\nsecond line", await page.Locator("pre.sample").TextContentAsync());
        Assert.Equal(0, await page.Locator("pre.sample b").CountAsync());

        // And clicking a legend entry hides that run's curve
        var firstEntry = page.Locator(".uplot").First.Locator(".u-legend .u-series").Nth(1);
        await firstEntry.ClickAsync();
        Assert.Contains("u-off", await firstEntry.GetAttributeAsync("class") ?? "");

        // And smoothing, another x axis and log y redraw without errors
        await page.Locator("#smoothing").FillAsync("0.9");
        await page.Locator("#x-axis").SelectOptionAsync("epoch");
        await page.Locator(".chart-head input[type=checkbox]").First.CheckAsync();
        Assert.Equal(canvasAreas.Length, await page.Locator(".uplot canvas").CountAsync());

        // And each chart offers its PNG and CSV
        var png = await page.RunAndWaitForDownloadAsync(() => page.Locator(".chart-head button", new() { HasText = "PNG" }).First.ClickAsync());
        Assert.Equal("loss.png", png.SuggestedFilename);
        var csv = await page.RunAndWaitForDownloadAsync(() => page.Locator(".chart-head button", new() { HasText = "CSV" }).First.ClickAsync());
        var csvPath = Path.Combine(folder, "loss.csv");
        await csv.SaveAsAsync(csvPath);
        Assert.StartsWith("epoch,", File.ReadAllLines(csvPath)[0]);

        await page.Locator("#x-axis").SelectOptionAsync("step");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "report.png"), FullPage = true });

        // And nothing ran that should not have, and nothing was fetched but the file itself
        Assert.Empty(dialogs);
        Assert.Empty(errors);
        Assert.Equal([documentUrl], requests.Distinct());
    }

    [SkippableFact]
    public async Task A_sweep_report_draws_the_best_trials_against_the_baseline_and_starts_the_other_trials_hidden_in_the_legend()
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"Chromium is not installed at {ChromiumPath} (scripts/setup.sh test-deps installs it)");

        // Given a sweep report of five trials and a baseline, written to disk
        var path = Path.Combine(OutputFolder(), "sweep-report.html");
        SweepReport.Write(path, SweepReportTests.WithBaseline());

        // When Chromium opens it from file://
        await using var opened = await Opened.Launch();
        await opened.Page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await opened.Page.WaitForSelectorAsync(".uplot canvas");

        // Then each chart's legend shows the baseline and the three best trials, and the other two switched off
        var legend = await opened.Page.EvaluateAsync<string[]>("() => [...document.querySelector('.uplot').querySelectorAll('.u-legend .u-series')]" +
            ".filter(r => r.style.display !== 'none').map(r => (r.classList.contains('u-off') ? 'off ' : 'on ') + r.textContent.split(' · ')[0].trim())");
        Assert.Equal(["on baseline mnist-mlp", "on trial 4", "on trial 3", "on trial 2", "off trial 0", "off trial 1"],
            legend.Where(l => l.Contains("trial", StringComparison.Ordinal) || l.Contains("baseline", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct());

        // And clicking a hidden trial shows it
        var hidden = opened.Page.Locator(".uplot").First.Locator(".u-legend .u-series", new() { HasText = "trial 0" }).First;
        await hidden.ClickAsync();
        Assert.DoesNotContain("u-off", await hidden.GetAttributeAsync("class") ?? "");
        await opened.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(OutputFolder(), "sweep-report.png"), FullPage = true });
        Assert.Empty(opened.Errors);
        Assert.Empty(opened.Dialogs);
    }

    // Headless Chromium with a page that records every request, console error and dialog.
    private sealed class Opened : IAsyncDisposable
    {
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public IPage Page { get; private set; } = null!;
        public List<string> Requests { get; } = [];
        public List<string> Errors { get; } = [];
        public List<string> Dialogs { get; } = [];

        public static async Task<Opened> Launch()
        {
            var opened = new Opened { _playwright = await Playwright.CreateAsync() };
            opened._browser = await opened._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            });
            var context = await opened._browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 }, AcceptDownloads = true });
            var page = opened.Page = await context.NewPageAsync();
            page.Request += (_, request) => opened.Requests.Add(request.Url);
            page.Console += (_, message) =>
            {
                if (message.Type is "error" or "warning") opened.Errors.Add($"{message.Type}: {message.Text}");
            };
            page.PageError += (_, error) => opened.Errors.Add($"page error: {error}");
            page.Dialog += async (_, dialog) =>
            {
                opened.Dialogs.Add(dialog.Message);
                await dialog.DismissAsync();
            };
            return opened;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }

    // TestResults/ beside the test project (git-ignored), so the screenshot is easy to find.
    private static string OutputFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Workbench.Reports.Tests.csproj")))
        {
            folder = folder.Parent;
        }
        var results = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        return results;
    }
}
