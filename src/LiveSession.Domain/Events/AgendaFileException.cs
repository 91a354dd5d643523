using LiveSession.Domain.Errors;

namespace LiveSession.Domain.Events;

/// <summary>
/// An agenda file that cannot be loaded, with where and what: "<c>{source}:{line}: {field}: {problem}</c>".
/// <see cref="Field"/> is a path such as <c>slots[2].speakers[0].name</c>, or <c>(file)</c> when the
/// problem is the file as a whole (size, YAML syntax). The protocol reports it as <see cref="ErrorCodes.InvalidAgenda"/>.
/// </summary>
public sealed class AgendaFileException(string sourceName, int line, string field, string problem)
    : Exception($"{sourceName}:{line}: {field}: {problem}")
{
    public const string WholeFile = "(file)";

    public string SourceName { get; } = sourceName;

    /// <summary>1-based line of the offending value (or of the mapping that misses a field).</summary>
    public int Line { get; } = line;

    public string Field { get; } = field;

    public string Problem { get; } = problem;

    public string Code => ErrorCodes.InvalidAgenda;
}
