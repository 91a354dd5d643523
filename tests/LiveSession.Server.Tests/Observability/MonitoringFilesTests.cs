using System.Text.Json;
using LiveSession.Server.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace LiveSession.Server.Tests.Observability;

/// <summary>The shipped monitoring fits docker-compose.yml: the targets are its nodes, the key comes from a file, nothing listens beyond loopback.</summary>
public sealed class MonitoringFilesTests
{
    private const string NodeImage = "livesession:local";

    [Fact]
    public void Prometheus_scrapes_every_node_of_the_compose_file_on_its_port_with_the_organiser_key_from_a_file()
    {
        var prometheus = MonitoringFiles.Yaml("infra", "prometheus", "prometheus.yml");
        var job = Assert.Single(Sequence(prometheus, "scrape_configs").OfType<YamlMappingNode>());
        var targets = Sequence(job, "static_configs").OfType<YamlMappingNode>().SelectMany(config => Scalars(Sequence(config, "targets"))).Order();
        var nodes = MonitoringFiles.ComposeServices().Where(service => Image(service.Value) == NodeImage).Select(service => $"{service.Key}:8080").Order();

        Assert.Equal(nodes, targets);
        Assert.Equal(3, nodes.Count());
        Assert.Equal("/metrics", Scalar(job, "metrics_path"));
        var authorization = Mapping(job, "authorization");
        Assert.Equal("Bearer", Scalar(authorization, "type"));
        Assert.False(authorization.Children.ContainsKey(new YamlScalarNode("credentials")), "The key is read from a file, never written into prometheus.yml.");
        var keyFile = Scalar(authorization, "credentials_file");

        // The compose service writes the key to that file, owner-only, from the environment.
        var service = MonitoringFiles.ComposeServices()["prometheus"];
        var entrypoint = string.Join(' ', Scalars(Sequence(service, "entrypoint")));
        Assert.Contains($"umask 077 && printf '%s' \"$$LIVESESSION_ORGANISER_KEY\" > {keyFile}", entrypoint, StringComparison.Ordinal);
        Assert.Contains("--config.file=/etc/prometheus/livesession/prometheus.yml", entrypoint, StringComparison.Ordinal);
        Assert.Contains("./infra/prometheus:/etc/prometheus/livesession:ro", Scalars(Sequence(service, "volumes")));

        foreach (var rules in Scalars(Sequence(prometheus, "rule_files")))
        {
            Assert.True(File.Exists(RepositoryFiles.Path("infra", "prometheus", rules)), $"rule file {rules} is missing");
        }
    }

    [Fact]
    public void The_monitoring_services_are_an_optional_profile_on_loopback_and_grafana_reads_the_shipped_prometheus()
    {
        var services = MonitoringFiles.ComposeServices();
        foreach (var name in new[] { "prometheus", "grafana" })
        {
            Assert.Equal(["monitoring"], Scalars(Sequence(services[name], "profiles")));
            Assert.All(Scalars(Sequence(services[name], "ports")), port => Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal));
        }

        // Everything else starts by default, as before.
        Assert.All(services.Where(s => s.Key is not ("prometheus" or "grafana")), s => Assert.False(s.Value.Children.ContainsKey(new YamlScalarNode("profiles"))));

        var datasource = Assert.Single(Sequence(MonitoringFiles.Yaml("infra", "grafana", "provisioning", "datasources", "prometheus.yml"), "datasources").OfType<YamlMappingNode>());
        Assert.Equal("http://prometheus:9090", Scalar(datasource, "url"));
        Assert.Contains("127.0.0.1:9090:9090", Scalars(Sequence(services["prometheus"], "ports")));
        var uid = Scalar(datasource, "uid");

        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("infra", "grafana", "dashboards", "livesession.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.NotEmpty(panels);
        Assert.All(panels.SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("datasource")).Append(p.GetProperty("datasource"))),
            source => Assert.Equal(uid, source.GetProperty("uid").GetString()));

        var provider = Assert.Single(Sequence(MonitoringFiles.Yaml("infra", "grafana", "provisioning", "dashboards", "livesession.yml"), "providers").OfType<YamlMappingNode>());
        var path = Scalar(Mapping(provider, "options"), "path");
        Assert.Contains($"./infra/grafana/dashboards:{path}:ro", Scalars(Sequence(services["grafana"], "volumes")));
        Assert.Contains("./infra/grafana/provisioning:/etc/grafana/provisioning:ro", Scalars(Sequence(services["grafana"], "volumes")));
    }

    [Fact]
    public void Every_alert_rule_has_a_name_an_expression_a_severity_and_a_summary()
    {
        var rules = MonitoringFiles.Alerts();

        Assert.Equal(
            ["LiveSessionConnectionCapNear", "LiveSessionConnectionsRefused", "LiveSessionFanOutLagHigh", "LiveSessionKeyGuessing", "LiveSessionNodeDown", "LiveSessionRedisCircuitOpen"],
            rules.Select(r => r.Name).Order());
        Assert.All(rules, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Expr));
            Assert.Contains(rule.Severity, new[] { "critical", "warning" });
            Assert.False(string.IsNullOrWhiteSpace(rule.Summary));
        });
    }

    private static string? Image(YamlMappingNode service)
    {
        if (service.Children.TryGetValue(new YamlScalarNode("image"), out var image))
        {
            return ((YamlScalarNode)image).Value;
        }

        // The nodes share "<<: *node" (the x-node anchor).
        return service.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && merged is YamlMappingNode template ? Image(template) : null;
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node[key];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value ?? "";

    private static List<string> Scalars(YamlSequenceNode node) => [.. node.OfType<YamlScalarNode>().Select(s => s.Value ?? "")];
}

/// <summary>The shipped monitoring files, read as Prometheus, Grafana and Compose read them.</summary>
internal static class MonitoringFiles
{
    public sealed record AlertRule(string Name, string Expr, string Severity, string Summary);

    public static YamlMappingNode Yaml(params string[] path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(RepositoryFiles.Path(path)))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static Dictionary<string, YamlMappingNode> ComposeServices() =>
        ((YamlMappingNode)Yaml("docker-compose.yml")["services"]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => (YamlMappingNode)c.Value);

    public static List<AlertRule> Alerts() =>
        [.. ((YamlSequenceNode)Yaml("infra", "prometheus", "alerts.yml")["groups"]).OfType<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group["rules"]).OfType<YamlMappingNode>())
            .Select(rule => new AlertRule(
                Text(rule, "alert"),
                Text(rule, "expr"),
                Text((YamlMappingNode)rule["labels"], "severity"),
                Text((YamlMappingNode)rule["annotations"], "summary")))];

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value ?? "";
}
