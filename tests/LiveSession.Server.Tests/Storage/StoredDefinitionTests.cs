using System.Text.Json.Nodes;
using LiveSession.Server.Storage.Sqlite;

namespace LiveSession.Server.Tests.Storage;

/// <summary>Event definitions and live states written by an older version (both stores keep them as this JSON) still read.</summary>
public sealed class StoredDefinitionTests
{
    [Fact]
    public void A_definition_stored_before_the_privacy_fields_existed_reads_without_them()
    {
        var document = JsonNode.Parse(StoredJson.Serialize(StoreTestData.Event("older")))!.AsObject();
        Assert.True(document.Remove("organiser") && document.Remove("privacyContact") && document.Remove("legalBasis"));

        var definition = StoredJson.Deserialize<Domain.Events.EventDefinition>(document.ToJsonString());

        Assert.Equal("older", definition.Code);
        Assert.Null(definition.Organiser);
        Assert.Null(definition.PrivacyContact);
        Assert.Null(definition.LegalBasis);
    }

    [Fact]
    public void A_live_state_stored_before_the_lower_third_switch_existed_reads_as_shown()
    {
        var definition = StoreTestData.Event("older");
        var live = Domain.Live.LiveState.Initial(definition).NextSlot(definition, StoreTestData.Start);
        var document = JsonNode.Parse(StoredJson.Serialize(live))!.AsObject();
        Assert.True(document.Remove("lowerThirdHidden"));

        var read = StoredJson.Deserialize<Domain.Live.LiveState>(document.ToJsonString());

        Assert.False(read.LowerThirdHidden);
        Assert.Equal(live, read);
    }
}
