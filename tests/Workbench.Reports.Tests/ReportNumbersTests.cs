// Numbers in reports: 7 significant digits embedded, valid JSON number text.
using System.Text.Json;

namespace Workbench.Reports.Tests;

public sealed class ReportNumbersTests
{
    [Theory]
    [InlineData(0.123456789, "0.1234568")]
    [InlineData(2.0, "2")]
    [InlineData(123456789.0, "1.234568E+08")]
    [InlineData(-0.000012345678, "-1.234568E-05")]
    [InlineData(1e-3, "0.001")]
    public void Embedded_values_keep_seven_significant_digits(double value, string expected)
    {
        var text = ReportNumbers.Json7(value);
        Assert.Equal(expected, text);
        // And JSON reads the same number back
        Assert.Equal(ReportNumbers.Round7(value), JsonDocument.Parse(text).RootElement.GetDouble());
    }

    [Fact]
    public void Rounding_to_seven_digits_is_within_half_a_unit_of_the_seventh_digit()
    {
        var random = new Random(11);
        for (var i = 0; i < 1000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9));
            var rounded = ReportNumbers.Round7(value);
            var unit = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(value))) - 6);
            Assert.True(Math.Abs(rounded - value) <= 0.5 * unit * (1 + 1e-9), $"{value} -> {rounded}");
        }
    }

    [Fact]
    public void Non_finite_values_cannot_be_embedded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportNumbers.Json7(double.NaN));
    }

    [Theory]
    [InlineData(0.12345, "0.1235")]
    [InlineData(12345.6, "12346")]
    [InlineData(3e-7, "3e-7")]
    [InlineData(double.NaN, "NaN")]
    public void Tables_show_four_significant_digits(double value, string expected)
    {
        Assert.Equal(expected, ReportNumbers.Display(value));
    }
}
