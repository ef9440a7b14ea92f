// The built-in word list of the task suite: common lowercase English words of 3 to 10 letters, so a
// small character model has seen every word's spelling in pretraining and the tasks test the skill.
namespace Workbench.Data.Tasks;

public static class WordList
{
    /// <summary>Distinct, lowercase a-z only, sorted ordinally.</summary>
    public static readonly IReadOnlyList<string> Words = Build(
        """
        act add age ago air all and ant any arm art ask bag bad bed bee big bit box boy bus but buy cake
        can cap car cat cow cry cup cut day den dig dog dot dry ear eat egg end eye fan far fat few fig fit
        fix fly fog for fox fun gas get got hat hen her him hip hit hot how ice ink jam jar jet job
        joy key kid kit lab lap law lay leg let lid lie lip log lot low mad man map mat mix mud net new nod
        not now nut oak odd oil old one our out owl own pan pen pet pie pig pin pit pot put rag ran rat raw
        red rib rod row rub run sad saw say sea see set sit six sky son sun tab tag tan tap tea ten tie tin
        tip toe top toy try two use van wax way web wet who why win yes yet you zoo
        able acid arch area army aunt baby back bake ball band bank barn bath bear beef bell belt bird
        blue boat body bone book boot bowl cold cook corn crow dark deer desk door dove drum duck dust
        east farm fish flag folk food foot fork frog gate gift girl goat gold golf hair half hall hand harp
        hill home hook horn kite king lake lamp land leaf lime lion milk mint moon nest nose park pear pink
        plum pond rain ring road rock roof rope rose salt sand seed ship shoe silk snow soap sock song soup
        star tent tree wall wind wing wolf wood word yard
        apple beach berry bread brick brush chair chalk cheese chest cloud clock coast cream crown dance
        dress drink eagle earth field flame floor fruit glass grape grass heart horse house juice knife
        lemon light mango melon money mouse music night ocean onion paint paper peach piano plant plate
        queen river robot salad sheep shelf skirt smile snake space spoon storm stone sugar table tiger
        toast tooth train truck water whale wheel world
        animal banana basket bottle branch bridge button candle carpet castle cherry circle coffee cookie
        cotton dinner doctor dragon flower forest garden ginger guitar hammer island jacket kitten ladder
        letter mirror monkey nature orange pencil pepper pillow planet pocket potato rabbit rocket school
        silver spider spring summer sunset ticket tomato turtle velvet window winter yellow
        balloon blanket cabbage captain chicken cupcake diamond dolphin feather giraffe holiday kitchen
        library lobster machine morning octopus penguin picture pumpkin rainbow teacher thunder trumpet
        unicorn volcano weather
        airplane backpack birthday building calendar elephant envelope mountain mushroom notebook painting
        pineapple sandwich scissors squirrel treasure umbrella
        adventure alligator butterfly chocolate crocodile dinosaur furniture kangaroo telephone vegetable
        basketball blackboard strawberry sunflower television watermelon
        """);

    static string[] Build(string text)
    {
        var words = text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToArray();
        Array.Sort(words, StringComparer.Ordinal);
        return words;
    }
}
