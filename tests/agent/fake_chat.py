"""A scripted chat model for agent tests: queued replies (text and tool calls), streamed in pieces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk


class ScriptedChatModel(GenericFakeChatModel):
    """Replies from ``messages`` in order; records the prompts it saw; streams text in ``piece``-sized
    chunks (so a pseudonym can be split across chunks) and tool calls as tool_call_chunks."""

    seen: list = []
    piece: int = 4

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:
        self.seen.append({"tools": [getattr(t, "name", None) for t in tools]})
        return self

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        self.seen.append({"messages": list(messages)})
        message = next(self.messages)
        message = AIMessage(content=message) if isinstance(message, str) else message
        text = message.content if isinstance(message.content, str) else ""
        for i in range(0, len(text), self.piece):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=text[i : i + self.piece]))
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk
        calls = [
            {"name": c["name"], "args": __import__("json").dumps(c["args"]), "id": c["id"], "index": i}
            for i, c in enumerate(message.tool_calls)
        ]
        yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=calls))

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ):
        from langchain_core.outputs import ChatGeneration, ChatResult

        self.seen.append({"messages": list(messages)})
        message = next(self.messages)
        message = AIMessage(content=message) if isinstance(message, str) else message
        return ChatResult(generations=[ChatGeneration(message=message)])
