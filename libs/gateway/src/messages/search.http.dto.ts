import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_SEARCH_PAGE, MAX_SEARCH_QUERY_LENGTH, SEARCH_ORDERS, SearchHitDto, SearchOrder, SearchResultPage, TextRange } from '@chat/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN } from '../http/id-param';
import { MessageResponse } from './messages.http.dto';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export class SearchQueryParams {
  @ApiProperty({
    example: 'lunch friday',
    maxLength: MAX_SEARCH_QUERY_LENGTH,
    description: 'Words to find; a message matches when it has every one (case and accents ignored). Punctuation and search syntax are plain text.',
  })
  @IsString() @MaxLength(MAX_SEARCH_QUERY_LENGTH)
  q: string;

  @ApiPropertyOptional({ description: 'Only this chat (else all my chats)', example: 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b' })
  @IsOptional() @IsString() @Matches(ID_PATTERN, { message: 'chatId must be a valid id' })
  chatId?: string;

  @ApiPropertyOptional({ enum: SEARCH_ORDERS, default: 'newest', description: 'relevance: my 300 newest matches, most relevant first' })
  @IsOptional() @IsIn(SEARCH_ORDERS)
  order?: SearchOrder;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page of the same search' })
  @IsOptional() @IsString() @Length(1, 128)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_PAGE, default: 20 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(MAX_SEARCH_PAGE)
  limit?: number;
}

export class TextRangeResponse implements TextRange {
  @ApiProperty({ example: 0, description: 'UTF-16 offset in message.text, inclusive' }) start: number;
  @ApiProperty({ example: 5, description: 'UTF-16 offset in message.text, exclusive' }) end: number;
}

export class SearchHitResponse implements SearchHitDto {
  @ApiProperty({ type: MessageResponse }) message: MessageResponse;
  @ApiProperty({ type: [TextRangeResponse], description: 'The matched words of message.text, in order' }) highlights: TextRangeResponse[];
}

export class SearchResultPageResponse implements SearchResultPage {
  @ApiProperty({ type: [SearchHitResponse] }) items: SearchHitResponse[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Opaque; null on the last page' }) nextCursor: string | null;
}
