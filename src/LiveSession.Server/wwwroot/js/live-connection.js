// The live connection shared by the attendee page, the room screen and the overlay: the SignalR
// protocol client and the state it keeps; what the pages read from that state is in live-view.js.
// Protocol: docs/protocol.md. Join → snapshot; then Update pushes carrying the event's seq.
// Updates are applied in seq order; out-of-order ones wait in a buffer; a gap that does not fill
// within gapTimeoutMs, any reconnect, and an "event" update all lead to a fresh snapshot.
/* global signalR */

const gapTimeoutMs = 2000;
// A connection silent for this long is dead (the server pings every 4 s): the page notices within ~10 s.
const serverTimeoutMs = 10000;
const keepAliveMs = 4000;

/** Endless back-off with jitter: 0 s, 1 s, 2 s, 4 s … capped at 15 s; it never gives up. */
export const foreverBackoff = {
    nextRetryDelayInMilliseconds(context) {
        const base = context.previousRetryCount === 0 ? 0 : Math.min(15000, 1000 * 2 ** (context.previousRetryCount - 1));
        return base + Math.floor(Math.random() * 500);
    },
};

export class LiveSession {
    /**
     * @param {string} eventCode
     * @param {{ origin?: "room" | "remote" | null, displayKey?: string | null, roomPass?: string | null }} options
     *   displayKey: a room screen or overlay joins as a display (served first) with its link's ?display= key;
     *   roomPass: the room screen's QR link's ?pass= (a venue's shared Wi-Fi address then has a larger budget)
     */
    constructor(eventCode, { origin = null, displayKey = null, roomPass = null } = {}) {
        this.eventCode = eventCode;
        this.origin = origin;
        this.displayKey = displayKey;
        this.tokenKey = `livesession.token.${eventCode}`;
        this.state = {
            status: "connecting", // connecting | live | reconnecting | gone | needs-link (a display without a valid key)
            ready: false,
            seq: 0,
            serverOffsetMs: 0,
            event: null,
            agenda: { slots: [] },
            live: null,
            questions: new Map(),
            mine: new Set(),
            voted: new Set(),
            polls: new Map(), // every non-draft poll; results only while shown
            pollAnswers: new Map(), // my answers: pollId → { choiceIds, words }
        };
        // When each poll's results were true (server time, ms): a coalesced pollResults never undoes a newer one.
        this.pollResultsAt = new Map();
        this.listeners = [];
        this.buffer = [];
        this.syncing = true;
        this.gapTimer = null;
        this.starting = null;
        // WebSockets straight away, no negotiate round trip: behind a round-robin balancer a negotiated
        // connection id would land on another node (404). Any node serves any event, so a node's death
        // costs a reconnect and a snapshot; stateful reconnect (which needs negotiation) is not used.
        this.connection = new signalR.HubConnectionBuilder()
            .withUrl(roomPass ? `/hubs/live?pass=${encodeURIComponent(roomPass)}` : "/hubs/live", { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
            .withAutomaticReconnect(foreverBackoff)
            .withServerTimeout(serverTimeoutMs)
            .withKeepAliveInterval(keepAliveMs)
            .configureLogging(signalR.LogLevel.None)
            .build();
        this.connection.on("Update", update => this.receive(update));
        this.connection.onreconnecting(() => {
            this.syncing = true;
            this.setStatus("reconnecting");
        });
        // A new connection has lost its groups and identity: join again, which resyncs from a snapshot.
        this.connection.onreconnected(() => this.join().catch(() => this.connection.stop()));
        this.connection.onclose(() => {
            if (!this.stopped) {
                this.setStatus("reconnecting");
                // After the close callback, not inside it: a start from within races the closing transport (handshake "reading 'send'" error).
                setTimeout(() => this.startForever(), 0);
            }
        });
        this.wake = null;
        // The browser knows about the network before any timeout does: drop at once when it goes, retry at once when it is back.
        globalThis.addEventListener?.("offline", () => this.connection.stop().catch(() => {}));
        globalThis.addEventListener?.("online", () => this.reconnectNow());
    }

    /** Skips the back-off: a connection that is not live is restarted now. */
    reconnectNow() {
        if (this.stopped || this.connection.state === signalR.HubConnectionState.Connected) {
            return;
        }
        if (this.starting) {
            this.wake?.();
        } else {
            this.connection.stop().catch(() => {});
        }
    }

    /** Calls listener(state, notices) after every change; notices announce a new speaker or newly published questions. */
    subscribe(listener) {
        this.listeners.push(listener);
        listener(this.state, []);
    }

    /** Server time now, in ms since the epoch, as the page best knows it. */
    serverNow() {
        return Date.now() + this.state.serverOffsetMs;
    }

    start() {
        return this.startForever();
    }

    /** Connects and joins, retrying with back-off until it works; one loop at a time. */
    startForever() {
        this.starting ??= this.connectUntilJoined().finally(() => { this.starting = null; });
        return this.starting;
    }

    async connectUntilJoined() {
        for (let attempt = 1; !this.stopped; attempt++) {
            try {
                if (this.connection.state === signalR.HubConnectionState.Disconnected) {
                    await this.connection.start();
                }
                await this.join();
                return;
            } catch {
                if (!this.stopped) {
                    await this.connection.stop().catch(() => {});
                    await this.pause(foreverBackoff.nextRetryDelayInMilliseconds({ previousRetryCount: attempt }));
                }
            }
        }
    }

    /** A back-off pause that {@link reconnectNow} cuts short. */
    pause(ms) {
        return new Promise(resolve => {
            const timer = setTimeout(done, ms);
            this.wake = done;
            function done() {
                clearTimeout(timer);
                resolve();
            }
        }).finally(() => { this.wake = null; });
    }

    async join() {
        this.startSync();
        let snapshot;
        try {
            snapshot = this.displayKey
                ? await this.connection.invoke("JoinDisplay", this.eventCode, this.displayKey)
                : await this.connection.invoke("Join", this.eventCode, readToken(this.tokenKey), this.origin);
        } catch (error) {
            const code = errorCode(error);
            if (code === "event_not_found") {
                this.setStatus("gone");
            } else if (code === "display_key_required" || code === "display_key_invalid") {
                this.setStatus("needs-link"); // retrying cannot help: the page needs its current link
            }
            throw error;
        }
        if (!this.displayKey) {
            writeToken(this.tokenKey, snapshot.attendeeToken);
        }
        this.applySnapshot(snapshot);
    }

    async resync() {
        if (this.connection.state !== signalR.HubConnectionState.Connected) {
            return; // the reconnect will join again, which resyncs
        }
        this.startSync();
        try {
            this.applySnapshot(await this.connection.invoke("Snapshot"));
        } catch {
            this.syncing = false;
            this.scheduleGapCheck();
        }
    }

    /**
     * Everything received so far was stored before it was sent, so the snapshot about to be read
     * covers it: drop it (a stuck gap cannot loop). What arrives meanwhile waits for the snapshot.
     */
    startSync() {
        this.syncing = true;
        this.buffer = [];
    }

    /** Asks once per requestId: the server answers a repeated requestId with the first result (docs/protocol.md, "Safe retries"). */
    ask({ text, authorName, addressedToSpeakerId, requestId }) {
        return this.connection.invoke("Ask", { text, authorName: authorName || null, addressedToSpeakerId: addressedToSpeakerId || null, requestId })
            .then(result => {
                this.state.mine.add(result.questionId);
                this.emit([]);
                return result;
            });
    }

    async setVote(questionId, vote) {
        const ack = await this.connection.invoke(vote ? "Vote" : "Unvote", questionId);
        if (ack.voted) {
            this.state.voted.add(questionId);
        } else {
            this.state.voted.delete(questionId);
        }
        const question = this.state.questions.get(questionId);
        if (question) {
            question.votes = ack.votes;
        }
        this.emit([]);
        return ack;
    }

    /** One answer per poll; a new one replaces the old while the poll is open (docs/protocol.md, "Polls"). */
    async answerPoll(pollId, { choiceIds = [], words = [] } = {}) {
        const ack = await this.connection.invoke("PollAnswer", pollId, { choiceIds, words });
        this.state.pollAnswers.set(ack.pollId, { choiceIds: ack.choiceIds, words: ack.words });
        this.emit([]);
        return ack;
    }

    withdraw(questionId) {
        return this.connection.invoke("Withdraw", questionId);
    }

    applySnapshot(snapshot) {
        const state = this.state;
        state.serverOffsetMs = Date.parse(snapshot.serverTime) - Date.now();
        state.seq = snapshot.seq;
        state.event = snapshot.event;
        state.agenda = snapshot.agenda;
        state.live = snapshot.live;
        state.questions = new Map(snapshot.questions.map(question => [question.id, question]));
        state.mine = new Set(snapshot.mine.questionIds);
        state.voted = new Set(snapshot.mine.votedQuestionIds);
        state.polls = new Map((snapshot.polls ?? []).map(poll => [poll.id, poll]));
        state.pollAnswers = new Map(Object.entries(snapshot.mine.pollAnswers ?? {}));
        this.pollResultsAt = new Map([...state.polls.keys()].map(id => [id, Date.parse(snapshot.serverTime)]));
        state.ready = true;
        this.syncing = false;
        state.status = "live";
        this.drain([]);
    }

    receive(update) {
        if (update.eventCode !== this.eventCode) {
            return;
        }
        this.buffer.push(update);
        if (!this.syncing) {
            this.drain([]);
        }
    }

    /** Applies every buffered update that is next in line; what is left waits for its gap to fill. */
    drain(notices) {
        let needsSnapshot = false;
        let progressed = true;
        while (progressed) {
            progressed = false;
            const waiting = [];
            for (const update of this.buffer.sort((a, b) => a.seq - b.seq)) {
                if (followsSeq(update)) {
                    // Tallies and changes of my own questions carry the seq they follow and do not advance it.
                    if (update.seq > this.state.seq) {
                        waiting.push(update);
                    } else if (update.mine) {
                        this.applyQuestion(update.data, notices);
                    } else if (update.type === "pollResults") {
                        this.applyPollResults(update.data, Date.parse(update.serverTime));
                    } else {
                        this.applyVotes(update.data.counts);
                    }
                } else if (update.seq <= this.state.seq) {
                    // Already covered; a question is still safe to apply by revision (one change may carry several).
                    if (update.type === "question") {
                        this.applyQuestion(update.data, notices);
                    } else if (update.type === "poll") {
                        this.applyPoll(update.data, Date.parse(update.serverTime), notices);
                    }
                } else if (update.seq === this.state.seq + 1) {
                    this.state.seq = update.seq;
                    this.state.serverOffsetMs = Date.parse(update.serverTime) - Date.now();
                    needsSnapshot = this.apply(update, notices) || needsSnapshot;
                    progressed = true;
                } else {
                    waiting.push(update);
                }
            }
            this.buffer = waiting;
        }
        this.emit(notices);
        if (needsSnapshot) {
            this.resync();
        } else {
            this.scheduleGapCheck();
        }
    }

    /** Returns true when the update asks for a fresh snapshot. */
    apply(update, notices) {
        const state = this.state;
        switch (update.type) {
            case "agenda":
                if (!state.live || update.data.revision >= state.live.revision) {
                    if (state.live && update.data.currentSpeakerId && update.data.currentSpeakerId !== state.live.currentSpeakerId) {
                        notices.push({ kind: "speaker", speakerId: update.data.currentSpeakerId });
                    }
                    state.live = update.data;
                }
                return false;
            case "screen":
                state.live = { ...state.live, screenQuestionId: update.data?.questionId ?? null, screenPollId: update.data?.pollId ?? null };
                return false;
            case "qa":
                state.live = { ...state.live, qaOpen: update.data.open };
                return false;
            case "overlay":
                state.live = { ...state.live, lowerThirdHidden: update.data.lowerThirdHidden };
                return false;
            case "question":
                this.applyQuestion(update.data, notices);
                return false;
            case "poll":
                this.applyPoll(update.data, Date.parse(update.serverTime), notices);
                return false;
            default:
                return true; // "event" or anything newer than this page: start over from a snapshot
        }
    }

    applyQuestion(question, notices) {
        const known = this.state.questions.get(question.id);
        if (known && known.revision >= question.revision) {
            return;
        }
        if (question.status === "approved" && known?.status !== "approved" && known?.status !== "answered") {
            notices.push({ kind: "published", question });
        }
        this.state.questions.set(question.id, question);
    }

    /** A poll by revision; its results only if they are not older than the ones held. */
    applyPoll(poll, at, notices) {
        const known = this.state.polls.get(poll.id);
        if (known && known.revision > poll.revision) {
            return;
        }
        if (poll.status !== "draft" && known?.status !== poll.status) {
            notices.push({ kind: poll.status === "open" ? "pollOpened" : "pollClosed", poll });
        } else if (poll.resultsVisible && known && !known.resultsVisible) {
            notices.push({ kind: "pollResults", poll });
        }
        const keepResults = poll.resultsVisible && known?.results && (this.pollResultsAt.get(poll.id) ?? 0) > at;
        if (keepResults) {
            poll = { ...poll, results: known.results };
        } else {
            this.pollResultsAt.set(poll.id, at);
        }
        this.state.polls.set(poll.id, poll);
    }

    /** Coalesced absolute results: applied by time, and only while the poll's results are shown. */
    applyPollResults({ pollId, results }, at) {
        const poll = this.state.polls.get(pollId);
        if (!poll || !poll.resultsVisible || (this.pollResultsAt.get(pollId) ?? 0) > at) {
            return;
        }
        this.pollResultsAt.set(pollId, at);
        this.state.polls.set(pollId, { ...poll, results });
    }

    applyVotes(counts) {
        for (const [id, votes] of Object.entries(counts)) {
            const question = this.state.questions.get(id);
            if (question) {
                question.votes = votes;
            }
        }
    }

    scheduleGapCheck() {
        const gap = this.buffer.some(update => update.seq > this.state.seq + (followsSeq(update) ? 0 : 1));
        if (!gap) {
            clearTimeout(this.gapTimer);
            this.gapTimer = null;
            return;
        }
        this.gapTimer ??= setTimeout(() => {
            this.gapTimer = null;
            if (this.buffer.some(update => update.seq > this.state.seq + (followsSeq(update) ? 0 : 1))) {
                this.resync();
            }
        }, gapTimeoutMs);
    }

    /** Gone, or a display without a valid key: nothing a retry could fix. */
    get stopped() {
        return this.state.status === "gone" || this.state.status === "needs-link";
    }

    setStatus(status) {
        this.state.status = status;
        this.emit([]);
    }

    emit(notices) {
        for (const listener of this.listeners) {
            listener(this.state, notices);
        }
    }
}

/** Tallies (votes, poll results) and changes of my own questions follow a seq; the other updates take the next one. */
function followsSeq(update) {
    return update.type === "votes" || update.type === "pollResults" || update.mine === true;
}

/** The stable code at the head of a hub error ("…HubException: rate_limited: …"), or "offline" / "generic". */
export function errorCode(error) {
    const message = String(error?.message ?? error ?? "");
    const match = /HubException: ([a-z_]+):/.exec(message) ?? /^([a-z_]+): /.exec(message);
    if (match) {
        return match[1];
    }
    return /connection|not in the 'Connected' State|WebSocket/i.test(message) ? "offline" : "generic";
}

function readToken(key) {
    try {
        return localStorage.getItem(key);
    } catch {
        return null;
    }
}

function writeToken(key, token) {
    try {
        if (token) {
            localStorage.setItem(key, token);
        }
    } catch {
        // storage disabled: the token lives as long as the page
    }
}
