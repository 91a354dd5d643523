using LiveSession.Server.Live;

namespace LiveSession.Server.Hub;

/// <summary>What the server calls on hub clients: one method, <c>Update</c>.</summary>
public interface ILiveClient
{
    Task Update(UpdateDto update);
}
